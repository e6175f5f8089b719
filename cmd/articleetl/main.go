// Command articleetl turns question-and-answer explainer articles into typed datasets.
package main

import "os"

func main() {
	code, sig := execute(os.Args, os.Stdin, os.Stdout, os.Stderr)
	if sig != nil {
		exitBySignal(sig, code)
	}
	os.Exit(code)
}
