/** The value box's text as JSON, or why it is not (the value model is JSON with tagged objects). */
export function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    return { error: `Not valid JSON (${(error as Error).message}). Strings need quotes: "hello".` }
  }
}
