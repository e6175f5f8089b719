// Package extract turns an article page's HTML into its metadata and content blocks.
//
// It knows how Wix blog posts are served (post title in h1[data-hook="post-title"], body in
// section[data-hook="post-description"]) and falls back to the page's own semantic signals
// (JSON-LD, og: meta, <article>, <main>). Scripts, styles, navigation, share bars, comments,
// "recent posts" widgets and footers are left out. The package is hand-written on top of
// goquery because no maintained Go library extracts structured blocks (headings, paragraphs,
// list items, captions) with the metadata this pipeline needs; readability-style libraries
// return flattened text or HTML, and go-shiori/go-readability is archived.
package extract
