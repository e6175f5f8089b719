// Package transform turns an extracted article into typed records: the document row,
// Q&A pairs (from the page's body and its JSON-LD FAQPage, with the question an elliptical
// one continues), named bodies (from lists, definition lists, tables and running prose,
// with their body type), and numeric facts, each with an id derived from content so it is
// stable across runs and across snapshots of the same article.
package transform
