package source

import (
	"os"
	"testing"
	"time"

	"github.com/articleetl/articleetl"
)

func TestPywbCaptureTime(t *testing.T) {
	replay, err := os.ReadFile("../testdata/captures/semantic-pywb-replay.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, page string
		want       string // RFC 3339, "" for none
	}{
		{"the Archive-It capture in testdata", string(replay), "2018-06-02T12:34:56Z"},
		{"single quotes", "<head><!-- WB Insert --><script>wbinfo.timestamp = '20190101000102';</script><!-- End WB Insert --></head>", "2019-01-01T00:01:02Z"},
		{"no spaces", "<!--WB Insert--><script>wbinfo.timestamp=\"20200229235959\"</script><!--  End WB Insert  -->", "2020-02-29T23:59:59Z"},
		{"request_ts is the time asked for, not the capture's", "<!--WB Insert--><script>wbinfo.request_ts=\"20200229235959\"</script><!--  End WB Insert  -->", ""},
		{"wbinfo outside an insert block is text", `<p>pywb sets <code>wbinfo.timestamp = "20180602123456"</code></p>`, ""},
		{"an insert block without a time", "<!-- WB Insert --><script>wbinfo = {};</script><!-- End WB Insert -->", ""},
		{"an insert block that never ends", `<!-- WB Insert --><script>wbinfo.timestamp = "20180602123456";</script>`, ""},
		// Only the block's own script counts: the page after it may quote pywb, end markers
		// and all.
		{"a time after the insert block is text, even before another end marker", "<!-- WB Insert --><script>wbinfo = {};</script><!-- End WB Insert --><p>wbinfo.timestamp = \"20180602123456\"</p><!-- End WB Insert -->", ""},
		{"names that only contain wbinfo.timestamp", "<!-- WB Insert --><script>mywbinfo.timestamp = \"20180602123456\"; wbinfo_timestamp = \"20180602123456\";</script><!-- End WB Insert -->", ""},
		{"15 digits", "<!-- WB Insert --><script>wbinfo.timestamp = \"201806021234567\";</script><!-- End WB Insert -->", ""},
		{"13 digits", "<!-- WB Insert --><script>wbinfo.timestamp = \"2018060212345\";</script><!-- End WB Insert -->", ""},
		{"no such date", "<!-- WB Insert --><script>wbinfo.timestamp = \"20181302123456\";</script><!-- End WB Insert -->", ""},
		{"the embedded article", string(articleetl.Snapshot), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := pywbCaptureTime([]byte(c.page))
			switch {
			case c.want == "" && got != nil:
				t.Errorf("capture time %v, want none", got)
			case c.want != "" && (got == nil || got.Format(time.RFC3339) != c.want):
				t.Errorf("capture time %v, want %s", got, c.want)
			}
		})
	}
}

// TestCleanTakesPywbTimeOnlyWhenNoneIsKnown: a WARC record's own date wins over the page's.
func TestCleanTakesPywbTimeOnlyWhenNoneIsKnown(t *testing.T) {
	page := []byte("<!-- WB Insert --><script>wbinfo.timestamp = \"20180602123456\";</script><!-- End WB Insert --><p>x</p>")
	it := Item{Data: page}
	it.Clean()
	if it.CapturedAt == nil || !it.CapturedAt.Equal(time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)) {
		t.Errorf("capture time %v, want 2018-06-02T12:34:56Z", it.CapturedAt)
	}
	if string(it.Data) != string(page) {
		t.Error("the page changed")
	}
	warcDate := time.Date(2018, 6, 3, 0, 0, 0, 0, time.UTC)
	it = Item{Data: page, CapturedAt: &warcDate}
	it.Clean()
	if !it.CapturedAt.Equal(warcDate) {
		t.Errorf("capture time %v, want the record's %v", it.CapturedAt, warcDate)
	}
}

func BenchmarkPywbCaptureTime(b *testing.B) {
	for b.Loop() {
		pywbCaptureTime(articleetl.Snapshot)
	}
}

// TestCleanTwiceKeepsPywbTime: a page saved from the Wayback Machine whose page shows no
// capture time of the Wayback Machine's, but holds pywb's insert block (the Wayback Machine
// saved a pywb replay), gets the same capture time however often it is cleaned: the first
// cleaning removes the Wayback Machine's pieces, and a second one, no longer seeing a
// Wayback page, must not find a time the first did not give.
func TestCleanTwiceKeepsPywbTime(t *testing.T) {
	page := []byte("<html><head><script>__wm.init(\"https://web.archive.org/web\");</script>\n" +
		"<!-- WB Insert --><script>wbinfo.timestamp = \"20180602123456\";</script><!-- End WB Insert -->\n" +
		"</head><body><p>x</p></body></html>")
	it := Item{Data: page}
	it.Clean()
	first := it.CapturedAt
	it.Clean()
	if (first == nil) != (it.CapturedAt == nil) || first != nil && !first.Equal(*it.CapturedAt) {
		t.Errorf("capture time %v after one cleaning, %v after two", first, it.CapturedAt)
	}
	if first == nil || !first.Equal(time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)) {
		t.Errorf("capture time %v, want pywb's 2018-06-02T12:34:56Z", first)
	}
}
