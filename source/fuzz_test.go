package source

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzCleanWayback(f *testing.F) {
	if saved, err := os.ReadFile(filepath.Join("testdata", "wayback-saved.html")); err == nil {
		f.Add(saved)
	}
	for _, s := range []string{
		"",
		"<html><body><p>plain</p></body></html>",
		"<!-- BEGIN WAYBACK TOOLBAR INSERT -->x<!-- END WAYBACK TOOLBAR INSERT -->",
		"<!-- BEGIN WAYBACK TOOLBAR INSERT --> never ends",
		"<!<!-- wayback -->-- FILE ARCHIVED ON -->",
		"<script>__wm.init(1)</script><a href=/web/2018/https://web.archive.org/web/2019id_/x>",
		"__wm.wombat(\"x\",\"20180602123456\"<link rel=canonical href='//web.archive.org/web/20180602123456/https://x/'>",
		"FILE ARCHIVED ON 99:99:99 Jun 02, 2018 <img srcset=\"/web/1im_/a 1x,/web/2im_/b 2x\" style=\"background:url(/web/3/c)\">",
		"sWayBackCGI<script src=\"/_static/js/wombat.js\"><script></script>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		in := bytes.Clone(page)
		out, _, ok := CleanWayback(page)
		if !bytes.Equal(page, in) {
			t.Fatal("CleanWayback modified its input")
		}
		if len(out) > len(page) {
			t.Fatalf("output %d bytes longer than input %d", len(out), len(page))
		}
		if !ok && !bytes.Equal(out, page) {
			t.Fatal("page changed although not recognised")
		}
		again, _, _ := CleanWayback(out)
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n once: %q\ntwice: %q", out, again)
		}
	})
}

// FuzzClean checks what Item.Clean promises: cleaning an item twice changes nothing, its
// page or its capture time (a review found a Wayback page holding pywb's block whose time
// came only at the second cleaning), and a capture time the item has is kept.
func FuzzClean(f *testing.F) {
	if saved, err := os.ReadFile(filepath.Join("testdata", "wayback-saved.html")); err == nil {
		f.Add(saved, false)
	}
	if replay, err := os.ReadFile(filepath.Join("..", "testdata", "captures", "semantic-pywb-replay.html")); err == nil {
		f.Add(replay, false)
		f.Add(replay, true)
	}
	for _, s := range []string{
		"",
		"<p>plain</p>",
		"<!-- WB Insert --><script>wbinfo.timestamp = \"20180602123456\";</script><!-- End WB Insert -->",
		"<script>__wm.init(1)</script><!-- WB Insert --><script>wbinfo.timestamp = '20190101000000'</script><!-- End WB Insert -->",
		"FILE ARCHIVED ON 12:34:56 Jun 02, 2018<!-- WB Insert --><script>wbinfo.timestamp=\"20200101000000\"</script><!-- End WB Insert -->",
	} {
		f.Add([]byte(s), false)
	}
	known := time.Date(2017, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, page []byte, dated bool) {
		in := bytes.Clone(page)
		it := Item{Data: page}
		if dated {
			it.CapturedAt = &known
		}
		it.Clean()
		if !bytes.Equal(page, in) {
			t.Fatal("Clean modified the page it was given")
		}
		if dated && !it.CapturedAt.Equal(known) {
			t.Fatalf("the item's capture time %v became %v", known, it.CapturedAt)
		}
		once, onceAt := bytes.Clone(it.Data), it.CapturedAt
		it.Clean()
		if !bytes.Equal(it.Data, once) {
			t.Fatalf("cleaned twice, the page changed:\n once: %q\ntwice: %q", once, it.Data)
		}
		if (onceAt == nil) != (it.CapturedAt == nil) || onceAt != nil && !onceAt.Equal(*it.CapturedAt) {
			t.Fatalf("cleaned twice, the capture time went from %v to %v", onceAt, it.CapturedAt)
		}
	})
}
