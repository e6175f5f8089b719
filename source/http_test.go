package source

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// noWait makes retries immediate.
func noWait(int) time.Duration { return 0 }

const page = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello</p></body></html>"

func TestFetch(t *testing.T) {
	lastModified := time.Date(2018, 5, 17, 9, 30, 0, 0, time.UTC)
	served := time.Date(2024, 3, 3, 8, 15, 2, 0, time.UTC)
	tests := []struct {
		name         string
		handler      func(n int, w http.ResponseWriter, r *http.Request) // n counts requests from 1
		opts         Options
		wantErr      string
		wantRequests int
		wantData     string
		wantCaptured *time.Time
	}{
		{
			name: "success with Last-Modified",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=windows-1252")
				w.Header().Set("Last-Modified", lastModified.Format(http.TimeFormat))
				_, _ = w.Write([]byte(page))
			},
			wantRequests: 1, wantData: page, wantCaptured: &lastModified,
		},
		{
			name: "Date when there is no Last-Modified",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Date", served.Format(http.TimeFormat))
				_, _ = w.Write([]byte(page))
			},
			wantRequests: 1, wantData: page, wantCaptured: &served,
		},
		{
			// A Memento archive's replay (pywb: Archive-It and most institutional archives)
			// says when it captured the page; its Last-Modified and Date are the replay's.
			name: "Memento-Datetime before Last-Modified and Date",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Memento-Datetime", lastModified.Format(http.TimeFormat))
				w.Header().Set("Last-Modified", served.Format(http.TimeFormat))
				w.Header().Set("Date", served.Format(http.TimeFormat))
				_, _ = w.Write([]byte(page))
			},
			wantRequests: 1, wantData: page, wantCaptured: &lastModified,
		},
		{
			name: "503 twice then 200 is retried",
			handler: func(n int, w http.ResponseWriter, _ *http.Request) {
				if n <= 2 {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				_, _ = w.Write([]byte(page))
			},
			wantRequests: 3, wantData: page,
		},
		{
			name: "503 every time",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "busy", http.StatusServiceUnavailable)
			},
			wantRequests: 4, wantErr: "HTTP 503 Service Unavailable after 4 attempts",
		},
		{
			name: "no retries when negative",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "oops", http.StatusInternalServerError)
			},
			opts:         Options{Retries: -1},
			wantRequests: 1, wantErr: "HTTP 500 Internal Server Error",
		},
		{
			name: "404 is not retried",
			handler: func(_ int, w http.ResponseWriter, r *http.Request) {
				http.NotFound(w, r)
			},
			wantRequests: 1, wantErr: "HTTP 404 Not Found",
		},
		{
			name: "timeout is retried",
			handler: func(_ int, w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			opts:         Options{Timeout: 100 * time.Millisecond, Retries: 1},
			wantRequests: 2, wantErr: "timeout after 100ms (2 attempts)",
		},
		{
			name: "timeout while reading the body",
			handler: func(_ int, w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte("<html>"))
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			opts:         Options{Timeout: 100 * time.Millisecond, Retries: -1},
			wantRequests: 1, wantErr: "timeout after 100ms",
		},
		{
			name: "body over MaxBytes with Content-Length",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write(bytes.Repeat([]byte("x"), 4096))
			},
			opts:         Options{MaxBytes: 1024},
			wantRequests: 1, wantErr: "page larger than 1 KiB limit",
		},
		{
			name: "body over MaxBytes streamed",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				for range 8 {
					_, _ = w.Write(bytes.Repeat([]byte("x"), 512))
					w.(http.Flusher).Flush()
				}
			},
			opts:         Options{MaxBytes: 1024},
			wantRequests: 1, wantErr: "page larger than 1 KiB limit",
		},
		{
			name: "unrequested brotli is decoded",
			handler: func(_ int, w http.ResponseWriter, _ *http.Request) {
				var b bytes.Buffer
				bw := brotli.NewWriter(&b)
				_, _ = bw.Write([]byte(page))
				_ = bw.Close()
				w.Header().Set("Content-Encoding", "br")
				_, _ = w.Write(b.Bytes())
			},
			wantRequests: 1, wantData: page,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			var mu sync.Mutex
			var agents []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(requests.Add(1))
				mu.Lock()
				agents = append(agents, r.UserAgent())
				mu.Unlock()
				tt.handler(n, w, r)
			}))
			defer srv.Close()
			opts := tt.opts
			opts.Backoff = noWait
			opts.Version = "1.2.3"
			items := collect(t, []string{srv.URL + "/post"}, opts)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			it := items[0]
			if it.Source != srv.URL+"/post" {
				t.Errorf("Source = %q", it.Source)
			}
			if got := int(requests.Load()); got != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tt.wantRequests)
			}
			mu.Lock()
			for _, ua := range agents {
				if !strings.HasPrefix(ua, "articleetl/1.2.3 (+https://github.com/articleetl/articleetl)") {
					t.Errorf("User-Agent = %q", ua)
				}
			}
			mu.Unlock()
			if tt.wantErr != "" {
				if it.Err == nil || it.Err.Error() != tt.wantErr {
					t.Fatalf("Err = %v, want %q", it.Err, tt.wantErr)
				}
				return
			}
			if it.Err != nil {
				t.Fatalf("Err = %v", it.Err)
			}
			if string(it.Data) != tt.wantData {
				t.Errorf("Data = %q, want %q", it.Data, tt.wantData)
			}
			if tt.wantCaptured != nil && (it.CapturedAt == nil || !it.CapturedAt.Equal(*tt.wantCaptured) || it.CapturedAt.Location() != time.UTC) {
				t.Errorf("CapturedAt = %v, want %v", it.CapturedAt, tt.wantCaptured)
			}
		})
	}
}

func TestFetchErrorTypes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	items := collect(t, []string{srv.URL}, Options{Timeout: 50 * time.Millisecond, Retries: -1})
	var fe *FetchError
	if !errors.As(items[0].Err, &fe) || fe.Timeout != 50*time.Millisecond || !errors.Is(items[0].Err, context.DeadlineExceeded) {
		t.Errorf("Err = %#v, want a *FetchError timeout wrapping context.DeadlineExceeded", items[0].Err)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	url := closed.URL
	closed.Close()
	items = collect(t, []string{url}, Options{Backoff: noWait})
	if !errors.As(items[0].Err, &fe) || fe.Attempts != 4 || !strings.Contains(fe.Error(), "refused") {
		t.Errorf("Err = %v, want connection refused after 4 attempts", items[0].Err)
	}
}

func TestFetchCancelledDuringBackoff(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Each(ctx, []string{srv.URL}, Options{Backoff: func(int) time.Duration { return time.Hour }}, func(Item) error {
		t.Error("fn called after cancellation")
		return nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("Each = %v after %v, want context.DeadlineExceeded promptly", err, time.Since(start))
	}
}

func TestDefaultOptions(t *testing.T) {
	o := Options{}.withDefaults()
	if o.Timeout != 30*time.Second || o.MaxBytes != 20<<20 || o.Retries != 3 || o.Client == nil {
		t.Errorf("defaults = %+v", o)
	}
	for attempt, want := range map[int]time.Duration{1: 200 * time.Millisecond, 2: 400 * time.Millisecond, 3: 800 * time.Millisecond} {
		if got := o.Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
	if o.UserAgent != "articleetl/dev (+https://github.com/articleetl/articleetl)" {
		t.Errorf("UserAgent = %q", o.UserAgent)
	}
	if got := (&TooLargeError{Limit: 20 << 20}).Error(); got != "page larger than 20 MiB limit" {
		t.Errorf("TooLargeError = %q", got)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"Fri, 27 Nov 2026 08:00:30 GMT", 30 * time.Second},
		{"Fri, 27 Nov 2026 07:59:00 GMT", 0}, // already past
		{"99999999999999999999", 0},          // not a number Go can hold: ignored
	}
	for _, tt := range tests {
		if got := retryAfter(tt.v, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// TestTooManyRequests checks that a 429 is retried after the wait its Retry-After asks
// for (here longer than the backoff), and that a wait longer than MaxRetryAfter fails the
// input at once, saying why.
func TestTooManyRequests(t *testing.T) {
	var hits atomic.Int32
	var first, second time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		switch hits.Add(1) {
		case 1:
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			second = time.Now()
			w.Write([]byte("<html><body><p>ok</p></body></html>"))
		}
	}))
	defer srv.Close()
	items := collect(t, []string{srv.URL}, Options{Backoff: noWait})
	if items[0].Err != nil || hits.Load() != 2 {
		t.Fatalf("Err = %v after %d requests, want the page on the second", items[0].Err, hits.Load())
	}
	if waited := second.Sub(first); waited < 900*time.Millisecond {
		t.Errorf("retried after %v, want the 1s Retry-After", waited)
	}

	hits.Store(0)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer slow.Close()
	start := time.Now()
	items = collect(t, []string{slow.URL}, Options{Backoff: noWait, MaxRetryAfter: time.Minute})
	var fe *FetchError
	if !errors.As(items[0].Err, &fe) || fe.RetryAfter != time.Hour || hits.Load() != 1 || time.Since(start) > 5*time.Second {
		t.Fatalf("Err = %v after %d requests, want a FetchError giving up at once on a 1h Retry-After", items[0].Err, hits.Load())
	}
	if want := "HTTP 503 Service Unavailable (the server asks to retry after 1h0m0s, longer than the 1m0s limit)"; fe.Error() != want {
		t.Errorf("Error() = %q, want %q", fe.Error(), want)
	}
}

// TestCertificateNotRetried checks that a server whose TLS certificate fails verification
// fails the input at the first attempt, naming the URL requested, where a connection error
// is retried. Attempts are counted as TLS handshakes the server sees begin, since none
// completes.
func TestCertificateNotRetried(t *testing.T) {
	expired := expiredCertificate(t)
	tests := []struct {
		name     string
		cert     *tls.Certificate                    // the server's; nil for httptest's
		client   func(*httptest.Server) *http.Client // nil for Options' default, which does not trust httptest's
		arg      func(plainURL string) string        // the input, when not the TLS server's /post
		wantErr  string                              // after "TLS certificate verification failed for <the TLS server's /post>: "
		wantType func(error) bool                    // the x509 error errors.As finds
	}{
		{
			name:    "unknown authority",
			wantErr: "x509: certificate signed by unknown authority",
			wantType: func(err error) bool {
				var e x509.UnknownAuthorityError
				return errors.As(err, &e)
			},
		},
		{
			name: "expired",
			cert: &expired,
			client: func(srv *httptest.Server) *http.Client {
				roots := x509.NewCertPool()
				roots.AddCert(srv.Certificate())
				return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
			},
			wantErr: "x509: certificate has expired or is not yet valid: ",
			wantType: func(err error) bool {
				var e x509.CertificateInvalidError
				return errors.As(err, &e) && e.Reason == x509.Expired
			},
		},
		{
			name: "another host's",
			client: func(srv *httptest.Server) *http.Client {
				c := srv.Client() // trusts the certificate, issued for 127.0.0.1 and example.com
				c.Transport.(*http.Transport).TLSClientConfig.ServerName = "other.test"
				return c
			},
			wantErr: "x509: certificate is valid for example.com, *.example.com, not other.test",
			wantType: func(err error) bool {
				var e x509.HostnameError
				return errors.As(err, &e)
			},
		},
		{
			name:    "after a redirect",
			arg:     func(plainURL string) string { return plainURL + "/moved" }, // redirected to the TLS server's /post
			wantErr: "x509: certificate signed by unknown authority",
			wantType: func(err error) bool {
				var e x509.UnknownAuthorityError
				return errors.As(err, &e)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var handshakes, requests atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				_, _ = w.Write([]byte(page))
			}))
			srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
				handshakes.Add(1)
				return nil, nil
			}}
			if tt.cert != nil {
				srv.TLS.Certificates = []tls.Certificate{*tt.cert}
			}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes the client aborts
			srv.StartTLS()
			defer srv.Close()
			plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, srv.URL+"/post", http.StatusFound)
			}))
			defer plain.Close()

			opts := Options{Backoff: noWait}
			if tt.client != nil {
				opts.Client = tt.client(srv)
			}
			arg, wantURL := srv.URL+"/post", srv.URL+"/post"
			if tt.arg != nil {
				arg = tt.arg(plain.URL)
			}
			items := collect(t, []string{arg}, opts)
			if len(items) != 1 || items[0].Source != arg {
				t.Fatalf("items = %+v, want one for %s", items, arg)
			}
			if n := handshakes.Load(); n != 1 || requests.Load() != 0 {
				t.Errorf("server saw %d handshakes and %d requests, want 1 and 0", n, requests.Load())
			}
			err := items[0].Err
			want := "TLS certificate verification failed: " + tt.wantErr
			if tt.arg != nil {
				want = "TLS certificate verification failed for " + wantURL + " (redirected there): " + tt.wantErr
			}
			if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Err = %v, want %q", err, want)
			}
			var fe *FetchError
			var ce *CertificateError
			var cve *tls.CertificateVerificationError
			if !errors.As(err, &fe) || fe.Attempts != 1 || !errors.As(err, &ce) || ce.URL != wantURL || !errors.As(err, &cve) || !tt.wantType(err) {
				t.Errorf("Err = %#v, want a FetchError of 1 attempt wrapping a CertificateError for %s and the x509 error", err, wantURL)
			}
		})
	}
}

// expiredCertificate is a self-signed certificate for 127.0.0.1 that expired an hour ago.
func expiredCertificate(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "expired"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(-time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
