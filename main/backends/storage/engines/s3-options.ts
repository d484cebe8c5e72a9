import { z } from 'zod'
import { secretString } from '../../../core/engine'
import { StorageOptions } from '../base'

/** SigV4 presigned URLs live at most a week (AWS refuses X-Amz-Expires above 604800). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600

/**
 * A key prefix as the storage root: "media/", "/media", "media" all mean "media/". Segments "." and ".."
 * are refused rather than resolved, as in names: the root must say plainly where it is.
 */
const KeyPrefix = z
  .string()
  .default('')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'The prefix may not hold "." or ".." segments.')
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p), 'The prefix may not hold control characters or backslashes.')
  .transform((p) => {
    const segments = p.split('/').filter(Boolean)
    return segments.length ? segments.join('/') + '/' : ''
  })

export const S3Options = StorageOptions.extend({
  endpoint: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('The S3-compatible server, e.g. https://s3.eu-central-1.wasabisys.com or http://127.0.0.1:9000 (MinIO). Leave it empty for Amazon S3.'),
  region: z.string().trim().min(1).default('us-east-1').describe('The region the bucket is in (AWS_S3_REGION_NAME); S3-compatible servers mostly accept us-east-1.'),
  bucket: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\s]+$/, 'A bucket name has no slashes or spaces.')
    .describe('The bucket holding the files (AWS_STORAGE_BUCKET_NAME).'),
  prefix: KeyPrefix.describe('An optional key prefix ("media/") that is the root of this storage: nothing outside it is listed or touched (django-storages: location).'),
  forcePathStyle: z
    .boolean()
    .optional()
    .describe('Address the bucket in the path (https://host/bucket/key) rather than as a host name; on by default when an endpoint is given, as most S3-compatible servers need it.'),
  accessKeyId: z.string().trim().min(1).describe('The access key ID (AWS_S3_ACCESS_KEY_ID).'),
  secretAccessKey: secretString('The secret access key, kept in the secret store (AWS_S3_SECRET_ACCESS_KEY).'),
  sessionToken: secretString('A session token for temporary credentials, kept in the secret store (AWS_SESSION_TOKEN).').optional(),
  presignExpirySeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_PRESIGN_SECONDS)
    .default(3600)
    .describe('How long a presigned URL works unless asked otherwise, in seconds (AWS_QUERYSTRING_EXPIRE); at most a week.'),
  partSizeMiB: z
    .number()
    .int()
    .min(5)
    .max(64)
    .default(8)
    .describe('Size of each part of a multipart upload in MiB. An upload holds about three parts in memory; files up to 10,000 parts use it, larger ones get larger parts.'),
})
export type S3Options = z.output<typeof S3Options>
