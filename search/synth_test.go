package search

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"dubbot/anime"
)

// synth generates a deterministic catalog shaped like MAL's: romaji titles
// built from Japanese syllables and particles, English titles, Japanese
// titles in kana and kanji, synonyms and short forms, and about one entry in
// four a sequel, movie or OVA of an earlier one.
type synth struct{ r *rand.Rand }

func newSynth(seed uint64) *synth { return &synth{r: rand.New(rand.NewPCG(seed, seed*7+1))} }

var (
	synthSyllables = strings.Fields(`ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no
		ha hi fu he ho ma mi mu me mo ya yu yo ra ri ru re ro wa n ga gi gu ge go za ji zu ze zo
		ba bi bu be bo kyo shou ryuu sei kou tai mei jou dou`)
	synthParticles = []string{"no", "wa", "ni", "wo", "to", "ga", "de"}
	synthEnglish   = strings.Fields(`academy adventure angel attack bear beast black blade blood blue
		boy bride brother castle city clover code crown dark dawn day demon devil diary dragon dream
		dungeon edge empire eternity fairy fall fate fire flower forest friend game garden ghost girl
		god gold grave guardian guild heart hero high hunter ice island journey king kingdom knight
		lady last legend life light lion lost love magic maid man memory moon monster mountain night
		ninja ocean order princess promise queen rain record red revenge road rose saga school sea
		secret shadow shield sky slayer snow song soul spirit star steel storm story summer sun sword
		tale tears thousand time tower town voice war warrior water wind wing winter witch wolf world`)
	synthKana   = []rune("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
	synthKanji  = []rune("進撃巨人鬼滅刃呪術廻戦鋼錬金術師葬送東京喰種約束魔法少女天気子君名声形恋愛頭脳戦異世界転生剣風伝奇銀魂")
	synthTypes  = []string{"TV", "TV", "TV", "Movie", "OVA", "ONA", "Special"}
	synthSequel = []string{" Season %d", " %s Season", " %r", " Part %d", " Movie", " OVA", ": %w"}
)

func (g *synth) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *synth) romajiWord() string {
	var b strings.Builder
	for range 2 + g.r.IntN(3) {
		b.WriteString(g.pick(synthSyllables))
	}
	return b.String()
}

func (g *synth) romaji() string {
	words := []string{g.romajiWord()}
	for range 1 + g.r.IntN(4) {
		if g.r.IntN(3) == 0 {
			words = append(words, g.pick(synthParticles))
		}
		words = append(words, g.romajiWord())
	}
	return capitalize(strings.Join(words, " "))
}

func (g *synth) english() string {
	words := make([]string, 0, 6)
	if g.r.IntN(3) == 0 {
		words = append(words, "the")
	}
	for range 2 + g.r.IntN(4) {
		words = append(words, g.pick(synthEnglish))
	}
	if g.r.IntN(4) == 0 {
		words = append(words[:1], append([]string{"of"}, words[1:]...)...)
	}
	return capitalize(strings.Join(words, " "))
}

func (g *synth) japanese() string {
	rs := make([]rune, 4+g.r.IntN(7))
	for i := range rs {
		if g.r.IntN(3) == 0 {
			rs[i] = synthKanji[g.r.IntN(len(synthKanji))]
		} else {
			rs[i] = synthKana[g.r.IntN(len(synthKana))]
		}
	}
	return string(rs)
}

// sequel derives an instalment title from a base title.
func (g *synth) sequel(base string, n int) string {
	form := g.pick(synthSequel)
	form = strings.ReplaceAll(form, "%d", strconv.Itoa(n))
	form = strings.ReplaceAll(form, "%s", ordinal(n))
	form = strings.ReplaceAll(form, "%r", strings.Repeat("I", n))
	form = strings.ReplaceAll(form, "%w", capitalize(g.romajiWord()))
	return base + form
}

func (g *synth) catalog(n int) []anime.Anime {
	out := make([]anime.Anime, 0, n)
	for i := range n {
		a := anime.Anime{ID: i + 1, Type: g.pick(synthTypes), Year: 1970 + g.r.IntN(56)}
		a.Members = int(math.Pow(10, 2+4.5*g.r.Float64()))
		if len(out) > 10 && g.r.IntN(4) == 0 {
			base := out[g.r.IntN(len(out))]
			k := 2 + g.r.IntN(3)
			a.Title, a.English = g.sequel(base.Title, k), g.sequel(base.English, k)
			a.Japanese = base.Japanese + " 第" + strconv.Itoa(k) + "期"
		} else {
			a.Title, a.English, a.Japanese = g.romaji(), g.english(), g.japanese()
		}
		a.Synonyms = g.synonyms(a)
		out = append(out, a)
	}
	return out
}

func (g *synth) synonyms(a anime.Anime) []string {
	var syn []string
	if g.r.IntN(2) == 0 {
		syn = append(syn, initialsOfTitle(a.English))
	}
	if g.r.IntN(3) == 0 {
		syn = append(syn, strings.ReplaceAll(a.Title, "ou", "o"))
	}
	if g.r.IntN(4) == 0 {
		syn = append(syn, g.english())
	}
	return syn
}

func initialsOfTitle(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		b.WriteRune(unicode.ToUpper([]rune(w)[0]))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "1st"
	case 2:
		return "2nd"
	case 3:
		return "3rd"
	}
	return strconv.Itoa(n) + "th"
}

// typo applies n random single-letter edits (substitution, deletion or
// transposition) inside words, as hurried typing does.
func (g *synth) typo(s string, n int) string {
	b := []byte(s)
	for range n {
		var at []int
		for i := 1; i+1 < len(b); i++ {
			if isLetterByte(b[i-1]) && isLetterByte(b[i]) && isLetterByte(b[i+1]) {
				at = append(at, i)
			}
		}
		if len(at) == 0 {
			return string(b)
		}
		i := at[g.r.IntN(len(at))]
		switch g.r.IntN(3) {
		case 0: // substitution
			b[i] = byte('a' + g.r.IntN(26))
		case 1: // deletion
			b = append(b[:i], b[i+1:]...)
		default: // transposition
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

func isLetterByte(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
