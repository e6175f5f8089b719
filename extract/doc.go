// Package extract turns an article page's HTML into its metadata and content blocks.
//
// The body is found without code for any one site. Platform containers (Wix's
// post-description, WordPress's .entry-content, Ghost's .gh-content, Drupal's
// .field--name-body, Squarespace's .blog-item-content and .sqs-block-content, an
// articleBody, <article>, <main>) are signals, taken when one holds most of the page's
// content text; otherwise the deepest element that holds nearly all of it is chosen. Text
// counts by the blocks it is in, less its links, and page chrome never counts: navigation,
// sidebars and widgets, "recent" and "related" posts, comments, share bars, cookie banners,
// bylines and footers, told by tag, ARIA role or class and id names. Article.Container
// says what was chosen and why.
//
// Blocks are headings, paragraphs, list items, captions, <dt>/<dd> terms and definitions,
// <details> summaries and the rows of data tables, in reading order, each with what a reader
// needs to recognise questions (Block.Question: a heading, a bold paragraph, "Q:", a term or
// a summary ending in "?") and the element (<dl>, <details>) an answer stays inside. The
// page's JSON-LD FAQPage questions come in Article.FAQ.
//
// ExtractBytes parses a page without the parts extraction never reads (the text of scripts
// other than JSON-LD and of style sheets, and the drawing inside SVG icons), which x/net/html
// would otherwise read a byte at a time; FromDocument takes any parsed page.
//
// The package is hand-written on top of goquery because no maintained Go library
// extracts structured blocks (headings, paragraphs, list items, captions) with the metadata
// this pipeline needs; readability-style libraries return flattened text or HTML, and
// go-shiori/go-readability is archived.
package extract
