"""Sends messages described in JSON through one of Django's own mail backends, for interop tests.

    /usr/bin/python3 django_send.py <file|console> <messages.json> [<folder>]

Each message is built the way a Django project builds it: EmailMessage, or EmailMultiAlternatives with
attach_alternative(html, "text/html") when it has both text and HTML, content_subtype = "html" for HTML
alone; attachments with attach(); inline images (cid) with the usual MIMEImage-style recipe.
"""
import base64
import json
import sys

from django.conf import settings

backend, source = sys.argv[1], sys.argv[2]
settings.configure(
    EMAIL_BACKEND='django.core.mail.backends.%s.EmailBackend' % ('filebased' if backend == 'file' else 'console'),
    EMAIL_FILE_PATH=sys.argv[3] if len(sys.argv) > 3 else None,
    DEFAULT_FROM_EMAIL='webmaster@localhost',
)

from email import encoders  # noqa: E402
from email.mime.base import MIMEBase  # noqa: E402

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection  # noqa: E402

messages = []
with open(source, encoding='utf-8') as f:
    described = json.load(f)
for m in described:
    text, html = m.get('text'), m.get('html')
    common = dict(subject=m.get('subject', ''), from_email=m.get('from'), to=m.get('to'), cc=m.get('cc'),
                  bcc=m.get('bcc'), reply_to=m.get('replyTo'), headers=m.get('headers'))
    if text is not None and html is not None:
        message = EmailMultiAlternatives(body=text, **common)
        message.attach_alternative(html, 'text/html')
    elif html is not None:
        message = EmailMessage(body=html, **common)
        message.content_subtype = 'html'
    else:
        message = EmailMessage(body=text or '', **common)
    for a in m.get('attachments', []):
        content = base64.b64decode(a['content'])
        if a.get('cid'):
            part = MIMEBase(*a['contentType'].split('/', 1))
            part.set_payload(content)
            encoders.encode_base64(part)
            part.add_header('Content-ID', '<%s>' % a['cid'])
            part.add_header('Content-Disposition', 'inline', filename=a['filename'])
            message.attach(part)
            message.mixed_subtype = 'related'
        else:
            message.attach(a['filename'], content, a.get('contentType'))
    messages.append(message)

sent = get_connection().send_messages(messages)
assert sent == len(messages), sent
