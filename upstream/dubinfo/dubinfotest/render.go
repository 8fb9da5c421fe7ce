package dubinfotest

import (
	"bytes"
	"strconv"

	"dubbot/upstream/dubinfo"
)

// Render writes l in the real file's layout: the license and origin keys
// first, then the two arrays pretty-printed with one id per line. The license
// text is a stand-in written for tests, not the upstream notice.
func Render(l *dubinfo.List) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	b.WriteString(`  "_license": "Test fixture written for dubbot; not MAL-Dubs data.",` + "\n")
	b.WriteString(`  "_origin": "https://example.invalid/dubbot-test",` + "\n")
	writeArray(&b, "dubbed", l.Dubbed())
	b.WriteString(",\n")
	writeArray(&b, "incomplete", l.Incomplete())
	b.WriteString("\n}\n")
	return b.Bytes()
}

// RenderIDs is Render for a list built from ids.
func RenderIDs(dubbed, incomplete []int) []byte {
	return Render(dubinfo.New(dubbed, incomplete))
}

func writeArray(b *bytes.Buffer, key string, ids []int) {
	b.WriteString(`  "` + key + `": [`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    " + strconv.Itoa(id))
	}
	if len(ids) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteByte(']')
}
