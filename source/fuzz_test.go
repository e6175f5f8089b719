package source

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
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
