package schemas

import "time"

// Parquet encoding: string columns tagged dict are dictionary-encoded, because their
// values repeat across snapshots (texts, labels, ids of questions and facts). Values that
// are new in every snapshot or every row (snapshot ids, content hashes, sources, change
// ids, a failed WARC record's origin) are plain: their rows are clustered by snapshot, so zstd reduces the repeats to a
// few bytes, while a dictionary would store every value once more, add an index per row,
// and hold both in memory until the row group is written. On the generated corpora this
// made the Parquet files 4–6% smaller (bench/benchtool sizes).

// Records are the rows one input gives, for every table that holds an article's content.
type Records struct {
	Document      Document
	QAPairs       []QAPair
	WorkingGroups []WorkingGroup
	Facts         []Fact
}

// Document is one row of the documents table: one per input processed.
type Document struct {
	SchemaVersion     string     `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID             string     `parquet:"doc_id,dict" json:"doc_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of the article: 16 hex digits of SHA-256 of its canonical URL (or, without one, of its title). The same for every snapshot of the article."`
	SnapshotID        string     `parquet:"snapshot_id" json:"snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of this version of the article: 16 hex digits of SHA-256 of the extracted content. Inputs with the same content share it."`
	Source            string     `parquet:"source" json:"source" doc:"The input as given on the command line (a file path, a URL, '-' for standard input, or 'embedded:<name>' for the snapshot built into the binary), or the WARC-Target-URI of a WARC record."`
	CanonicalURL      *string    `parquet:"canonical_url,optional,dict" json:"canonical_url" doc:"The page's canonical URL (link rel=canonical, og:url or JSON-LD url), or null when the page gives none."`
	Title             string     `parquet:"title,dict" json:"title" doc:"The article's title as shown on the page."`
	Standfirst        *string    `parquet:"standfirst,optional,dict" json:"standfirst" doc:"The lead paragraph under the title, before the first question, or null."`
	UpdatedOn         *Date      `parquet:"updated_on,optional,date" json:"updated_on" doc:"Date the page says the article was last updated ('Updated: May 17, 2018'), else the page metadata's modification date; null when neither is given."`
	PublishedAt       *time.Time `parquet:"published_at,optional,timestamp(microsecond)" json:"published_at" doc:"Publication time in UTC from the page metadata (JSON-LD datePublished or article:published_time), or null."`
	Language          *string    `parquet:"language,optional,dict" json:"language" doc:"Language of the page as a BCP 47 tag (html lang, og:locale or JSON-LD inLanguage), or null."`
	ContentSHA256     string     `parquet:"content_sha256" json:"content_sha256" pattern:"^[0-9a-f]{64}$" doc:"SHA-256 of the input's bytes, in hex."`
	QAPairCount       int32      `parquet:"qa_pair_count" json:"qa_pair_count" minimum:"0" doc:"Number of rows this document has in qa_pairs."`
	WorkingGroupCount int32      `parquet:"working_group_count" json:"working_group_count" minimum:"0" doc:"Number of rows this document has in working_groups."`
	FactCount         int32      `parquet:"fact_count" json:"fact_count" minimum:"0" doc:"Number of rows this document has in facts."`
	ExtractorVersion  string     `parquet:"extractor_version,dict" json:"extractor_version" doc:"Version of articleetl's extractor that produced the row."`
	CapturedAt        *time.Time `parquet:"captured_at,optional,timestamp(microsecond)" json:"captured_at" doc:"When this copy of the page was captured, in UTC: a WARC record's WARC-Date; for a fetched page, the Memento-Datetime an archive sends, else the timestamp of a Wayback Machine address, else Last-Modified, else Date; for a page saved from the Wayback Machine or from pywb replay (Archive-It and most institutional archives), the capture time it gives; null for any other plain file. Added in 1.1.0."`
}

// QAPair is one row of the qa_pairs table: a question the article asks and its answer.
type QAPair struct {
	SchemaVersion    string   `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID            string   `parquet:"doc_id,dict" json:"doc_id" pattern:"^[0-9a-f]{16}$" doc:"Article the pair belongs to (documents.doc_id)."`
	SnapshotID       string   `parquet:"snapshot_id" json:"snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"Snapshot the pair was extracted from (documents.snapshot_id)."`
	QAID             string   `parquet:"qa_id,dict" json:"qa_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of the pair: 16 hex digits of SHA-256 of the article and the question's text, so the same question keeps its id across snapshots."`
	Ordinal          int32    `parquet:"ordinal" json:"ordinal" minimum:"1" doc:"Position of the question in the article, from 1."`
	Question         string   `parquet:"question,dict" json:"question" doc:"The question exactly as written."`
	Answer           string   `parquet:"answer,dict" json:"answer" doc:"The whole answer: every paragraph and list item up to the next question or section heading, joined with newlines."`
	AnswerParagraphs []string `parquet:"answer_paragraphs,list,dict" json:"answer_paragraphs" doc:"The answer's paragraphs and list items, one element each, in order."`
	Section          *string  `parquet:"section,optional,dict" json:"section" doc:"The section heading the question stands under, or null when it stands under none."`
	QuestionContext  *string  `parquet:"question_context,optional,dict" json:"question_context" doc:"For an elliptical question that continues the one before it ('And in Syria?' after 'What steps need to be taken in the liberated areas of Iraq?'), the text of that earlier question; null for a question that stands on its own. Added in 1.1.0."`
}

// WorkingGroup is one row of the working_groups table: a named body the article lists (a
// working group, committee, task force, commission, ...). The table keeps its first name
// for schema continuity.
type WorkingGroup struct {
	SchemaVersion string  `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID         string  `parquet:"doc_id,dict" json:"doc_id" pattern:"^[0-9a-f]{16}$" doc:"Article the group belongs to (documents.doc_id)."`
	SnapshotID    string  `parquet:"snapshot_id" json:"snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"Snapshot the group was extracted from (documents.snapshot_id)."`
	WGID          string  `parquet:"wg_id,dict" json:"wg_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of the group: 16 hex digits of SHA-256 of the article and the group's name, stable across snapshots."`
	Ordinal       int32   `parquet:"ordinal" json:"ordinal" minimum:"1" doc:"Position of the group in the article, from 1."`
	Name          string  `parquet:"name,dict" json:"name" doc:"The group's full name, e.g. 'Counter-Finance Working Group'."`
	Abbreviation  *string `parquet:"abbreviation,optional,dict" json:"abbreviation" doc:"The abbreviation as written in parentheses after the name, e.g. 'CIFG WG', or null."`
	Description   string  `parquet:"description,dict" json:"description" doc:"The text that says what the group does: after the colon or dash in a list, the definition or table cell beside the name, or the clause after the name in running prose."`
	QAID          *string `parquet:"qa_id,optional,dict" json:"qa_id" pattern:"^[0-9a-f]{16}$" doc:"The Q&A pair whose answer lists the group (qa_pairs.qa_id), or null."`
	BodyType      *string `parquet:"body_type,optional,dict" json:"body_type" doc:"Kind of body, from the head noun of its name: working_group, committee, task_force, commission, council, panel, board, forum, network, team, group, agency or unit; null for a body a table of bodies lists under a name without one of these nouns ('Joint Research Centre'), and in rows written before the column existed. Added in 1.1.0."`
}

// Fact is one row of the facts table: a number the article states, with its unit and context.
type Fact struct {
	SchemaVersion string  `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID         string  `parquet:"doc_id,dict" json:"doc_id" pattern:"^[0-9a-f]{16}$" doc:"Article the fact belongs to (documents.doc_id)."`
	SnapshotID    string  `parquet:"snapshot_id" json:"snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"Snapshot the fact was extracted from (documents.snapshot_id)."`
	FactID        string  `parquet:"fact_id,dict" json:"fact_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of the fact: 16 hex digits of SHA-256 of the article, where the fact stands (question or section), its unit and location and its rank among such facts; not of its value, so a fact whose number changes keeps its id."`
	Ordinal       int32   `parquet:"ordinal" json:"ordinal" minimum:"1" doc:"Position of the fact in the article, from 1."`
	Value         float64 `parquet:"value" json:"value" doc:"The number, fully scaled: '3.2 million' is 3200000, '107.600km2' (dot as thousands separator) is 107600."`
	Unit          string  `parquet:"unit,dict" json:"unit" doc:"Canonical unit: a lowercase plural noun for counts ('people', 'bank_branches'), 'percent', 'km2', an ISO 4217 code for money ('USD'), '<noun>_per_<period>' for rates ('barrels_per_day')."`
	Kind          string  `parquet:"kind,dict" json:"kind" doc:"What the number measures: count, currency, percent, ratio, area, rate, length, mass, volume, duration or temperature."`
	Raw           string  `parquet:"raw,dict" json:"raw" doc:"The exact source span of the number with its multiplier, currency or attached unit, e.g. '107.600km2', '$300 million'."`
	Comparator    *string `parquet:"comparator,optional,dict" json:"comparator" enum:"more_than,at_least,less_than,at_most,about" doc:"Qualifier the text puts on the number ('more than 10.000' is more_than), or null when it is stated exactly."`
	Location      *string `parquet:"location,optional,dict" json:"location" doc:"The country or region the sentence ties the number to (several joined with ', '), or null."`
	Sentence      string  `parquet:"sentence,dict" json:"sentence" doc:"The whole sentence the number stands in."`
	QAID          *string `parquet:"qa_id,optional,dict" json:"qa_id" pattern:"^[0-9a-f]{16}$" doc:"The Q&A pair whose answer states the fact (qa_pairs.qa_id), or null."`
	Section       *string `parquet:"section,optional,dict" json:"section" doc:"The section heading the fact stands under (e.g. 'Coalition in facts'), or null."`
}

// Change is one row of the changes table: one difference between consecutive snapshots of
// an article, readable without the rest of the dataset.
type Change struct {
	SchemaVersion  string     `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID          string     `parquet:"doc_id,dict" json:"doc_id" pattern:"^[0-9a-f]{16}$" doc:"Article that changed (documents.doc_id)."`
	SnapshotID     string     `parquet:"snapshot_id" json:"snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"Snapshot the change leads to; the same as to_snapshot_id."`
	ChangeID       string     `parquet:"change_id" json:"change_id" pattern:"^[0-9a-f]{16}$" doc:"Identifier of the change: 16 hex digits of SHA-256 of both snapshot ids, the table, the record id and the field."`
	Ordinal        int32      `parquet:"ordinal" json:"ordinal" minimum:"1" doc:"Position of the change within its pair of snapshots, from 1: document fields first, then Q&A pairs, working groups and facts in article order."`
	FromSnapshotID string     `parquet:"from_snapshot_id" json:"from_snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"The earlier snapshot (documents.snapshot_id)."`
	ToSnapshotID   string     `parquet:"to_snapshot_id" json:"to_snapshot_id" pattern:"^[0-9a-f]{16}$" doc:"The later snapshot (documents.snapshot_id)."`
	FromCapturedAt *time.Time `parquet:"from_captured_at,optional,timestamp(microsecond)" json:"from_captured_at" doc:"Capture time of the earlier snapshot's first capture, in UTC, or null."`
	ToCapturedAt   *time.Time `parquet:"to_captured_at,optional,timestamp(microsecond)" json:"to_captured_at" doc:"Capture time of the later snapshot's first capture, in UTC, or null."`
	ChangeType     string     `parquet:"change_type,dict" json:"change_type" enum:"added,removed,modified" doc:"added: the record is new in the later snapshot; removed: it is gone; modified: one of its fields changed."`
	TableName      string     `parquet:"table_name,dict" json:"table_name" enum:"documents,qa_pairs,working_groups,facts" doc:"Table of the record that changed (named table_name because TABLE is a reserved word in SQL)."`
	RecordID       string     `parquet:"record_id,dict" json:"record_id" doc:"Id of the record that changed: doc_id, qa_id, wg_id or fact_id."`
	Field          *string    `parquet:"field,optional,dict" json:"field" doc:"The field that changed, for modified records; null for added and removed ones."`
	OldValue       *string    `parquet:"old_value,optional,dict" json:"old_value" doc:"The field's earlier value as text (numbers in shortest form, dates YYYY-MM-DD), or null when it was null or the record was added."`
	NewValue       *string    `parquet:"new_value,optional,dict" json:"new_value" doc:"The field's later value as text, or null when it is null or the record was removed."`
	RecordText     string     `parquet:"record_text,dict" json:"record_text" doc:"The record's main text, so the change reads on its own: the title, the question, the group's name, or the fact's raw number and unit with its sentence."`
}

// InputError is one row of the errors table: an input that failed in a --keep-going run.
type InputError struct {
	SchemaVersion string     `parquet:"schema_version,dict" json:"schema_version" doc:"Version of this table's schema (semantic versioning) that the row was written with."`
	DocID         *string    `parquet:"doc_id,optional,dict" json:"doc_id" doc:"Always null: a failed input names no article. Kept so every table has the column."`
	SnapshotID    *string    `parquet:"snapshot_id,optional" json:"snapshot_id" doc:"Always null: a failed input has no snapshot. Kept so every table has the column."`
	Source        string     `parquet:"source" json:"source" doc:"The input as given, or the WARC-Target-URI of a WARC record."`
	Origin        *string    `parquet:"origin,optional" json:"origin" doc:"Where the input came from when that differs from source, e.g. 'crawl.warc.gz@1234' (file and byte offset), or null."`
	ContentSHA256 *string    `parquet:"content_sha256,optional" json:"content_sha256" pattern:"^[0-9a-f]{64}$" doc:"SHA-256 of the input's bytes when they could be read, else null."`
	CapturedAt    *time.Time `parquet:"captured_at,optional,timestamp(microsecond)" json:"captured_at" doc:"Capture time of the input when known, else null."`
	Stage         string     `parquet:"stage,dict" json:"stage" enum:"read,extract" doc:"Where it failed: read (the bytes could not be had) or extract (they are not an article page)."`
	Reason        string     `parquet:"reason,dict" json:"reason" doc:"Why it failed, one line."`
}
