/**
 * What a file that does not read as a comma-separated CSV probably is, judged from its
 * header line — the one place that says which formats exitlab reads, so the message changes
 * in one spot when it learns more (compressed files, other delimiters).
 */

export interface FormatProblem {
  readonly message: string;
  readonly hint: string;
}

/** The formats exitlab reads, for messages. */
export const READABLE_FORMATS = "comma-separated CSV files, plain or compressed as .zip or .gz (recognised by the file name's extension)";

/** A recognised non-CSV format from the (normalised, lower-case) header fields, or null. */
export function describeNonCsvHeader(header: readonly string[]): FormatProblem | null {
  const line = header.join(",");
  if (line.startsWith("pk\u0003\u0004") || line.startsWith("pk\u0005\u0006")) {
    return { message: "the file is a ZIP archive, not a CSV", hint: `name it .zip, or unzip it: exitlab reads ${READABLE_FORMATS}` };
  }
  if (line.startsWith("\u001f\u008b") || line.startsWith("\u001f\ufffd")) {
    return { message: "the file is gzip-compressed, not a CSV", hint: `name it .gz, or decompress it (gunzip): exitlab reads ${READABLE_FORMATS}` };
  }
  if (header.length === 1) {
    for (const [delimiter, name] of [[";", "semicolons"], ["\t", "tabs"], ["|", "vertical bars"]] as const) {
      if (!line.includes(delimiter)) continue;
      return {
        message: `the header "${line}" is separated by ${name}, not commas`,
        hint: `exitlab reads ${READABLE_FORMATS}: replace the ${name} with commas (and any decimal commas with points)`,
      };
    }
  }
  return null;
}
