import * as z from 'zod';

// Imported first by the verify entry, before any module builds a schema (zod reads the setting
// when an object schema is built). zod's JIT compiles a parser with `new Function` on each object
// schema's first parse: it pays back over thousands of parses, but `breakglass verify` of a small
// bundle parses most schemas once, so there it only costs start-up time. Results are the same.
z.config({ jitless: true });
