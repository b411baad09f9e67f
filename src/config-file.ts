/** The config file pace-audit looks for in the working folder. */
export const CONFIG_FILE = 'pace-audit.config.json';
