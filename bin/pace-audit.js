#!/usr/bin/env node
// Only starts the compiled CLI; all behaviour lives in src/.
import '../dist/cli.js';
