// Runs before each test file (vitest setupFiles), also when workers share modules between files.
import { freshDir } from './helpers.js';

freshDir();
