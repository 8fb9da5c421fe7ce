package console

import (
	"context"
	"testing"

	"dubbot/bot"
)

// FuzzParse: any typed line is parsed or refused with an error, never a
// panic, and a parsed request names a command of the table.
func FuzzParse(f *testing.F) {
	r, err := bot.NewRouter(nil, bot.RouterOptions{})
	if err != nil {
		f.Fatal(err)
	}
	rt, err := testRouter()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{`/help`, `/search query:"two words" dubbed:true`, `/announce set channel:<#1>`, `/search query:"x`, `/`, `/search query: year:`, "/search query:é\u3000ü"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, router := range []*bot.Router{r, rt} {
			req, err := Parse(line, router)
			if err == nil && router.Lookup(req.Command) == nil {
				t.Fatalf("Parse(%q) gave unknown command %q", line, req.Command)
			}
			if err == nil {
				router.Handle(context.Background(), req)
			}
		}
	})
}
