package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// chromium is where Debian's chromium package puts the browser;
// .ci/install-extra installs it.
const chromium = "/usr/bin/chromium"

// screenshot renders the HTML file page with headless Chromium into a PNG
// of width × height, in a temporary profile, without network or updates.
func screenshot(ctx context.Context, t *testing.T, page, out string, width, height int) {
	t.Helper()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+profile,
		"--window-size="+itoa(width).text+","+itoa(height).text, "--screenshot="+out, "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.Bytes())
	}
}

// TestBrowserRendersDashboard opens the HTML page of the five reports in
// headless Chromium and checks the screenshot for real content: the right
// size, many distinct colours (text, bars, status lights), and no large
// blank. It skips only when Chromium is not installed.
func TestBrowserRendersDashboard(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("chromium is absent (%v): install Debian's chromium package (.ci/install-extra does) to run this test", err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := Render(&b, HTML, fixtureReports(t)...); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out := filepath.Join(dir, "shot.png")
	screenshot(ctx, t, page, out, 1200, 2400)
	img := decodePNG(t, out)
	if got := img.Bounds().Size(); got != image.Pt(1200, 2400) {
		t.Errorf("screenshot is %v, want 1200×2400", got)
	}
	colours, blankRows := inspect(img)
	if colours < 64 {
		t.Errorf("only %d distinct colours: the page did not render its charts", colours)
	}
	if blankRows > img.Bounds().Dy()*3/4 {
		t.Errorf("%d of %d rows are a single colour: the page is mostly blank", blankRows, img.Bounds().Dy())
	}
	// Red must be there: the fixture's SLA rate is red, and so is its
	// status pill and the alert.
	if !hasColour(img, 0xc6, 0x28, 0x28) {
		t.Error("no red (#c62828) on the page: the red status is not drawn")
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	return img
}

// inspect counts the distinct colours of img and the rows of a single
// colour.
func inspect(img image.Image) (colours, blankRows int) {
	seen := map[uint32]bool{}
	bo := img.Bounds()
	for y := bo.Min.Y; y < bo.Max.Y; y++ {
		first, same := uint32(0), true
		for x := bo.Min.X; x < bo.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			c := r>>8<<16 | g>>8<<8 | b>>8
			seen[c] = true
			if x == bo.Min.X {
				first = c
			} else if c != first {
				same = false
			}
		}
		if same {
			blankRows++
		}
	}
	return len(seen), blankRows
}

func hasColour(img image.Image, r8, g8, b8 uint32) bool {
	bo := img.Bounds()
	for y := bo.Min.Y; y < bo.Max.Y; y += 2 {
		for x := bo.Min.X; x < bo.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == r8 && g>>8 == g8 && b>>8 == b8 {
				return true
			}
		}
	}
	return false
}
