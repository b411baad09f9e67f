export function writeExport(
  file: string,
  options: { children: number; perChild?: number; seed?: number },
): Promise<number>;
