// Runs before each test file (vitest setupFiles), also when workers share modules between files.
import { beforeFile } from './helpers.js';

beforeFile();
