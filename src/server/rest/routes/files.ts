import { inArea, route } from './route.js';

/** Files: streamed uploads, their metadata, and signed streamed downloads (non-JSON bodies, outside SOFA). */
export const FILE_ROUTES = inArea('Files', [
  route('POST /users/:userId/uploads', { browser: 'upload' }, 'write', 'Upload a file (the raw request body, streamed to storage)', {
    beyondContract: true,
  }),
  route('GET /files/:fileId', 'Query.file', 'read', 'A file’s metadata and signed download URL', { beyondContract: true }),
  route('GET /files/:fileId/content', { browser: 'download' }, 'none', 'Download a file’s content (signed URL; Range supported)', {
    beyondContract: true,
  }),
]);
