/** Text from the API reference, where `backticks` mark code. */
export function InlineText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/g).map((part, index) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code
            key={index}
            className="rounded bg-gray-100 dark:bg-gray-800 px-1 py-0.5 font-mono text-[0.85em] [overflow-wrap:anywhere] text-gray-800 dark:text-gray-200"
          >
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
