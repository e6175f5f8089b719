package source_test

import (
	"fmt"

	"github.com/articleetl/articleetl/source"
)

func ExampleCleanWayback() {
	saved := `<html><head><script src="/_static/js/wombat.js"></script>
<link rel="canonical" href="/web/20180602123456/https://blog.example.org/post/x">
</head><body>
<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp">…</div><!-- END WAYBACK TOOLBAR INSERT -->
<p>Text</p>
</body></html>
<!-- FILE ARCHIVED ON 12:34:56 Jun 02, 2018 AND RETRIEVED FROM THE INTERNET ARCHIVE ON 08:15:02 Mar 03, 2024. -->
`
	page, capturedAt, ok := source.CleanWayback([]byte(saved))
	fmt.Print(string(page))
	fmt.Println(capturedAt, ok)
	// Output:
	// <html><head>
	// <link rel="canonical" href="https://blog.example.org/post/x">
	// </head><body>
	// <p>Text</p>
	// </body></html>
	// 2018-06-02 12:34:56 +0000 UTC true
}
