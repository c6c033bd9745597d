/** URL of a file stored under the data dir (path relative to it, forward slashes). */
export const fileUrl = (baseUrl: string, path: string): string =>
  `${baseUrl}/files/${path.split('/').map(encodeURIComponent).join('/')}`;
