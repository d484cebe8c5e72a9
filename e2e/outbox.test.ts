import { beforeEach, expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { OutboxPage } from './pages/outbox-page'
import { captureSmtpPort, clearOutbox, sendToCapture, startRequestCounter } from './support/capture-mail'
import { describeE2E } from './support/e2e-suite'
import { startSmtpServer } from '../test/support/smtp-test-server'

const poll = { timeout: 10_000, interval: 100 }

describeE2E('Outbox', (ctx) => {
  beforeEach(async () => {
    await clearOutbox(ctx.server)
  })

  const openOutbox = async () => OutboxPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))

  it('shows new mail without a reload, counts it unread, and reads it when opened', async () => {
    const outbox = await openOutbox()
    await outbox.emptyState.waitFor()
    expect(await outbox.captureUrl.textContent()).toBe(`smtp://127.0.0.1:${await captureSmtpPort(ctx.server)}`)

    await sendToCapture(
      ctx.server,
      { from: 'Ada <ada@example.test>', to: 'bob@example.test', subject: 'Welcome aboard', text: 'Hello Bob' },
      { from: 'Billing <billing@example.test>', to: 'bob@example.test', subject: 'Your invoice', text: 'Pay up' },
    )
    await outbox.row('Welcome aboard').waitFor()
    await outbox.row('Your invoice').waitFor()
    await outbox.app.sectionLink('Mail').getByLabel('2 unread').waitFor()
    expect(await outbox.isUnread('Welcome aboard')).toBe(true)

    await outbox.row('Welcome aboard').click()
    await expect.poll(() => outbox.openedSubject(), poll).toBe('Welcome aboard')
    await outbox.app.sectionLink('Mail').getByLabel('1 unread').waitFor()
    await expect.poll(() => outbox.isUnread('Welcome aboard'), poll).toBe(false)
    expect(await outbox.isUnread('Your invoice')).toBe(true)

    // More mail while a message is open: it shows up on top, the open message and the selection stay.
    await sendToCapture(ctx.server, { from: 'ada@example.test', to: 'bob@example.test', subject: 'One more thing', text: 'PS' })
    await expect.poll(() => outbox.subjects(), poll).toEqual(['One more thing', 'Your invoice', 'Welcome aboard'])
    expect(await outbox.openedSubject()).toBe('Welcome aboard')
    expect(await outbox.selectedSubject()).toBe('Welcome aboard')
    await outbox.app.sectionLink('Mail').getByLabel('2 unread').waitFor()
  })

  it('filters the list with subject: and from:, and says when nothing matches', async () => {
    await sendToCapture(
      ctx.server,
      { from: 'alice@example.test', to: 'team@example.test', subject: 'Quarterly report', text: 'Numbers' },
      { from: 'bob@example.test', to: 'team@example.test', subject: 'Lunch on Friday', text: 'Pizza?' },
      { from: 'alice@example.test', to: 'team@example.test', subject: 'Password reset', text: 'Click the link' },
    )
    const outbox = await openOutbox()
    await expect.poll(() => outbox.subjects(), poll).toEqual(['Password reset', 'Lunch on Friday', 'Quarterly report'])

    await outbox.search('subject:report')
    await expect.poll(() => outbox.subjects(), poll).toEqual(['Quarterly report'])

    await outbox.search('from:alice@example.test')
    await expect.poll(() => outbox.subjects(), poll).toEqual(['Password reset', 'Quarterly report'])

    await outbox.search('from:nobody@example.test')
    await outbox.noResults.waitFor()
    await outbox.app.page.getByRole('button', { name: 'Clear the search' }).first().click()
    await expect.poll(() => outbox.subjects(), poll).toHaveLength(3)
  })

  it('shows HTML in a sandbox where scripts do not run, and loads remote images only when asked', async () => {
    const images = await startRequestCounter()
    try {
      await sendToCapture(ctx.server, {
        from: 'shop@example.test',
        to: 'ada@example.test',
        subject: 'Confirm your order',
        text: 'Confirm at https://example.test/confirm?order=42',
        html: `<p id="probe">script did not run</p>
          <script>document.getElementById('probe').textContent = 'script ran'; new Image().src = '${images.url('/from-script.gif')}'</script>
          <p><a href="https://example.test/confirm?order=42">Confirm the order</a></p>
          <img src="${images.url('/tracker.gif')}" alt="tracker" width="1" height="1">`,
      })
      const outbox = await openOutbox()
      await outbox.row('Confirm your order').click()

      const sandbox = await outbox.htmlFrame.getAttribute('sandbox')
      expect(sandbox).not.toBeNull()
      expect(sandbox).not.toContain('allow-scripts')
      expect(sandbox).not.toContain('allow-same-origin')
      expect(await outbox.htmlContent.locator('#probe').textContent()).toBe('script did not run')
      await outbox.app.page.waitForTimeout(500)
      expect(images.count('/tracker.gif')).toBe(0)
      expect(images.count('/from-script.gif')).toBe(0)

      // Switching the preview width resizes the frame.
      const desktop = await outbox.frameWidth()
      await outbox.previewWidth('Phone 375')
      await expect.poll(() => outbox.frameWidth(), poll).toBe(375)
      // Wider than the pane: the frame keeps its width and the pane scrolls, as a tablet would show it.
      await outbox.previewWidth('Tablet 768')
      await expect.poll(() => outbox.frameWidth(), poll).toBe(768)
      await outbox.previewWidth('Desktop')
      await expect.poll(() => outbox.frameWidth(), poll).toBe(desktop)

      // The links are read from the HTML without loading anything it refers to.
      await outbox.showTab('Links')
      expect(await outbox.links.textContent()).toContain('https://example.test/confirm?order=42')
      expect(await outbox.links.textContent()).toContain('Confirm the order')
      expect(images.count('/tracker.gif')).toBe(0)

      await outbox.showTab('HTML')
      await outbox.message.getByRole('button', { name: 'Load remote images' }).click()
      await expect.poll(() => images.count('/tracker.gif'), poll).toBe(1)
      expect(await outbox.htmlContent.locator('#probe').textContent()).toBe('script did not run')
      expect(images.count('/from-script.gif')).toBe(0)
    } finally {
      await images.close()
    }
  })

  it('shows the raw source with the exact Subject header, and a non-ASCII attachment name', async () => {
    const subject = 'Grüße aus Köln – Rechnung №42 für Zoë'
    const attachment = 'Prüfbericht – 東京 2026.pdf'
    await sendToCapture(ctx.server, {
      from: 'rechnung@example.test',
      to: 'zoe@example.test',
      subject,
      text: 'Anbei die Rechnung.',
      attachments: [{ filename: attachment, content: Buffer.from('%PDF-1.4 fake'), contentType: 'application/pdf' }],
    })
    const list = await ctx.server.rpc<{ messages: { id: number }[] }>('outbox.list', {})
    const id = list.messages[0]!.id
    const response = await fetch(`${ctx.server.baseUrl}/api/v1/messages/${id}/raw`, { headers: { authorization: `Bearer ${ctx.server.token}` } })
    const raw = (await response.text()).replace(/\r\n/g, '\n')
    const subjectHeader = /^Subject:.*(?:\n[ \t].*)*/m.exec(raw)?.[0]
    expect(subjectHeader).toMatch(/^Subject: =\?UTF-8\?/)

    const outbox = await openOutbox()
    await outbox.row(subject).click()
    await expect.poll(() => outbox.openedSubject(), poll).toBe(subject)

    await outbox.showTab('Raw')
    await outbox.rawSource.waitFor()
    expect(((await outbox.rawSource.textContent()) ?? '').replace(/\r\n/g, '\n')).toContain(subjectHeader)

    await outbox.showTab('Attachments')
    expect(await outbox.attachments.textContent()).toContain(attachment)
    expect(await outbox.attachments.textContent()).toContain('application/pdf')
  })

  it('shows encoded header words decoded in the Headers tab, the raw form one click away', async () => {
    const subject = 'Rechnung – Köln'
    await sendToCapture(ctx.server, { from: 'Zoë <zoe@example.test>', to: 'ada@example.test', subject, text: 'x' })
    const outbox = await openOutbox()
    await outbox.row(subject).click()
    await outbox.showTab('Headers')
    const headers = outbox.message.getByRole('table', { name: 'Headers' })
    const subjectRow = headers.getByRole('row').filter({ has: outbox.app.page.getByRole('rowheader', { name: /^subject$/i }) })
    expect(((await subjectRow.textContent()) ?? '').trim()).toMatch(new RegExp(`${subject}$`))
    expect(await headers.textContent()).toContain('Zoë <zoe@example.test>')
    await outbox.message.getByRole('radiogroup', { name: 'Header form' }).getByText('Raw').click()
    await expect.poll(async () => (await subjectRow.textContent()) ?? '').toMatch(/=\?UTF-8\?[BQ]\?/i)
    expect(await subjectRow.textContent()).not.toContain(subject)
  })

  it('gives a long subject the whole width at 1400 px until a message is opened', async () => {
    const subject = 'Your order #10293 has shipped and will arrive on Thursday between 9 and 12'
    // The page is open on the empty outbox first: the list appears with the first message, folded too.
    const app = await BackplaneApp.open(await ctx.open({ viewport: { width: 1400, height: 800 } }), ctx.server, '/mail')
    const outbox = new OutboxPage(app)
    await outbox.emptyState.waitFor()
    await sendToCapture(ctx.server, { from: 'Orders <orders@shop.example.test>', to: 'customer@example.test', subject, text: 'x' })
    const cell = outbox.row(subject).getByText(subject)
    await cell.waitFor()
    // Not cut: the text fits its cell.
    await expect.poll(() => cell.evaluate((el) => el.scrollWidth <= el.clientWidth), poll).toBe(true)
    await outbox.row(subject).click()
    await expect.poll(() => outbox.openedSubject(), poll).toBe(subject)
    // Split, the same subject is cut (with an ellipsis and the whole of it in the tooltip): the check above can fail.
    await expect.poll(() => cell.evaluate((el) => el.scrollWidth > el.clientWidth), poll).toBe(true)
  })

  it('opens the message a notification points at (#/mail?message=ID), marked read', async () => {
    await sendToCapture(ctx.server, { from: 'a@example.test', to: 'b@example.test', subject: 'Older', text: 'x' }, { from: 'a@example.test', to: 'b@example.test', subject: 'Newest', text: 'y' })
    const list = await ctx.server.rpc<{ messages: { id: number; subject: string }[] }>('outbox.list', {})
    const older = list.messages.find((m) => m.subject === 'Older')!
    const app = await BackplaneApp.open(await ctx.open(), ctx.server, `/mail?message=${older.id}`)
    const outbox = new OutboxPage(app)
    await expect.poll(() => outbox.openedSubject(), poll).toBe('Older')
    await expect.poll(async () => (await ctx.server.rpc<{ isRead: boolean }>('outbox.get', { id: older.id, markRead: false })).isRead, poll).toBe(true)
    // The address forgets it, so a reload shows the outbox as the user left it.
    await expect.poll(() => app.page.url(), poll).toBe(`${ctx.server.baseUrl}/#/mail`)
  })

  it('closes the search help with Esc, wherever the focus is, without clearing the search', async () => {
    const outbox = await openOutbox()
    await outbox.search('from:ada')
    const help = outbox.app.page.getByRole('dialog', { name: 'Search help' })
    await outbox.app.page.getByRole('button', { name: 'Search help' }).click()
    await help.waitFor()
    await outbox.app.page.keyboard.press('Escape')
    await help.waitFor({ state: 'hidden' })
    expect(await outbox.searchBox.inputValue()).toBe('from:ada')
    // Opened again with the focus in the search box: Esc closes the help first, the next one clears.
    await outbox.app.page.getByRole('button', { name: 'Search help' }).click()
    await help.waitFor()
    // "/" comes to the search box with the help open too (it is a popover beside the box).
    await outbox.app.page.keyboard.press('/')
    await expect.poll(() => outbox.searchBox.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true)
    await outbox.app.page.keyboard.press('Escape')
    await help.waitFor({ state: 'hidden' })
    expect(await outbox.searchBox.inputValue()).toBe('from:ada')
  })

  it('moves the selection with j and k, and opens it with Enter', async () => {
    await sendToCapture(
      ctx.server,
      { from: 'a@example.test', to: 'z@example.test', subject: 'First', text: '1' },
      { from: 'a@example.test', to: 'z@example.test', subject: 'Second', text: '2' },
      { from: 'a@example.test', to: 'z@example.test', subject: 'Third', text: '3' },
    )
    const outbox = await openOutbox()
    await expect.poll(() => outbox.subjects(), poll).toEqual(['Third', 'Second', 'First'])
    const keyboard = outbox.app.page.keyboard

    await keyboard.press('j')
    await expect.poll(() => outbox.selectedSubject(), poll).toBe('Third')
    await keyboard.press('j')
    await keyboard.press('j')
    await expect.poll(() => outbox.selectedSubject(), poll).toBe('First')
    await keyboard.press('k')
    await expect.poll(() => outbox.selectedSubject(), poll).toBe('Second')
    // Moving reads nothing; Enter does.
    expect(await outbox.isUnread('Second')).toBe(true)

    await keyboard.press('Enter')
    await expect.poll(() => outbox.openedSubject(), poll).toBe('Second')
    await expect.poll(() => outbox.isUnread('Second'), poll).toBe(false)
    await keyboard.press('r')
    await expect.poll(() => outbox.isUnread('Second'), poll).toBe(true)
  })

  it('deletes one message and then all of them, each after a confirmation, and shows the empty outbox', async () => {
    await sendToCapture(
      ctx.server,
      { from: 'a@example.test', to: 'z@example.test', subject: 'Keep me', text: '1' },
      { from: 'a@example.test', to: 'z@example.test', subject: 'Delete me', text: '2' },
      { from: 'a@example.test', to: 'z@example.test', subject: 'Keep me too', text: '3' },
    )
    const outbox = await openOutbox()
    await outbox.row('Delete me').click()
    await expect.poll(() => outbox.openedSubject(), poll).toBe('Delete me')

    await outbox.app.page.keyboard.press('Delete')
    expect(await outbox.dialog.textContent()).toContain('Delete “Delete me”?')
    await outbox.confirm('Delete')
    await expect.poll(() => outbox.subjects(), poll).toEqual(['Keep me too', 'Keep me'])

    const question = await outbox.deleteAll()
    expect(question).toBe('Delete all 2 messages in the outbox?')
    await outbox.emptyState.waitFor()
    expect((await ctx.server.rpc<{ total: number }>('outbox.counts')).total).toBe(0)
  })

  it('keeps capture settings changed in the GUI across a reload, and puts a rejected value on its field', async () => {
    const outbox = await openOutbox()
    let form = await outbox.openCaptureSettings()
    const maxMessages = form.getByRole('textbox', { name: 'Keep at most (messages)' })
    await maxMessages.fill('1234')
    await form.getByRole('button', { name: 'Save capture settings' }).click()
    await outbox.app.notification('Capture settings saved').waitFor()
    expect((await ctx.server.rpc<{ retention: { maxMessages: number } }>('outbox.settings')).retention.maxMessages).toBe(1234)

    await outbox.app.page.reload()
    form = outbox.app.page.getByRole('form', { name: 'Capture settings' })
    await form.waitFor()
    expect(await form.getByRole('textbox', { name: 'Keep at most (messages)' }).inputValue()).toBe('1,234')

    await form.getByRole('textbox', { name: 'Port' }).fill('70000')
    await form.getByRole('button', { name: 'Save capture settings' }).click()
    await form.getByText(/65535/).waitFor()
    expect((await ctx.server.rpc<{ smtp: { port: number } }>('outbox.settings')).smtp.port).not.toBe(70000)
  })
  it('releases a captured message, bytes unchanged, through an SMTP alias to a real server', async () => {
    const relay = await startSmtpServer()
    try {
      await ctx.server.rpc('settings.saveAlias', { kind: 'mail', name: 'relay', engine: 'smtp', options: { host: relay.host, port: relay.port } })
      await sendToCapture(ctx.server, { from: 'shop@example.test', to: 'customer@example.test', bcc: 'audit@example.test', subject: 'Release me', text: 'For real this time' })
      const outbox = await openOutbox()
      await outbox.row('Release me').click()
      await expect.poll(() => outbox.openedSubject(), poll).toBe('Release me')

      await outbox.message.getByRole('button', { name: 'Release…' }).click()
      // The recipients default to the original envelope, Bcc included; the outbox alias is not offered as the default.
      expect(await outbox.dialog.textContent()).toContain('customer@example.test')
      expect(await outbox.dialog.textContent()).toContain('audit@example.test')
      expect(await outbox.dialog.getByLabel('Through mail alias').inputValue()).toBe('relay · smtp')
      await outbox.dialog.getByRole('button', { name: 'Release', exact: true }).click()
      await outbox.dialog.getByRole('status').filter({ hasText: 'Released' }).waitFor()

      await expect.poll(() => relay.messages.length, poll).toBe(1)
      const raw = Buffer.from(await (await fetch(`${ctx.server.baseUrl}/api/v1/messages/${(await ctx.server.rpc<{ messages: { id: number }[] }>('outbox.list', { query: 'subject:release' })).messages[0]!.id}/raw?token=${ctx.server.token}`)).arrayBuffer())
      expect(relay.messages[0]!.raw.equals(raw)).toBe(true)
      expect(relay.messages[0]!.from).toBe('shop@example.test')
      expect([...relay.messages[0]!.to].sort()).toEqual(['audit@example.test', 'customer@example.test'])
    } finally {
      await ctx.server.rpc('settings.deleteAlias', { kind: 'mail', name: 'relay' }).catch(() => undefined)
      await relay.close()
    }
  })
  it('keeps mail apart per recipient domain and switches between the mailboxes', async () => {
    const before = await ctx.server.rpc<{ mailboxes: string }>('outbox.settings')
    await ctx.server.rpc('outbox.saveSettings', { settings: { ...before, mailboxes: 'recipient-domain' } })
    try {
      await sendToCapture(
        ctx.server,
        { from: 'app@example.test', to: 'ada@one.test', subject: 'For project one', text: '1' },
        { from: 'app@example.test', to: 'bob@two.test', subject: 'For project two', text: '2' },
      )
      const outbox = await openOutbox()
      await expect.poll(() => outbox.subjects(), poll).toEqual(['For project two', 'For project one'])
      const mailbox = outbox.app.page.getByRole('combobox', { name: 'Mailbox' })
      await mailbox.click()
      await outbox.app.page.getByRole('option', { name: 'one.test (1 unread)' }).click()
      await expect.poll(() => outbox.subjects(), poll).toEqual(['For project one'])
      await mailbox.click()
      await outbox.app.page.getByRole('option', { name: /^All mailboxes/ }).click()
      await expect.poll(() => outbox.subjects(), poll).toEqual(['For project two', 'For project one'])
    } finally {
      await ctx.server.rpc('outbox.saveSettings', { settings: before })
    }
  })
})
