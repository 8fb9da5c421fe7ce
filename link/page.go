package link

import (
	"fmt"
	"html/template"
	"net/http"
)

// pageData is what the browser page says.
type pageData struct {
	OK      bool
	Title   string
	Message string
	Hint    string
}

// pageTemplate escapes every value, account names included.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · dubbot</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#222;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;padding:2rem 2.5rem;max-width:32rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin-top:0}
.ok h1{color:#1e8449}.fail h1{color:#b03a2e}
.hint{color:#666}
</style>
</head>
<body>
<main class="{{if .OK}}ok{{else}}fail{{end}}">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{with .Hint}}<p class="hint">{{.}}</p>{{end}}
</main>
</body>
</html>
`))

// page writes a small HTML page. The URL it answers may carry a code, so
// the page keeps out of caches and sends no referrer onwards.
func (s *Service) page(w http.ResponseWriter, status int, d pageData) {
	noStore(w)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, d); err != nil {
		s.log.Warn("write OAuth page", slogErr(err))
	}
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

const backToDiscord = "You can close this tab and go back to Discord."

func pageLinked(a Account) pageData {
	return pageData{
		OK:      true,
		Title:   "Account linked",
		Message: fmt.Sprintf("Your %s account %s is now linked to your Discord account.", a.Provider.Title(), a.Name),
		Hint:    backToDiscord,
	}
}

func pageDenied(p Provider) pageData {
	return pageData{
		Title:   "Not linked",
		Message: fmt.Sprintf("%s did not give dubbot access, so nothing was linked.", p.Title()),
		Hint:    fmt.Sprintf("To try again, run /link %s in Discord.", p),
	}
}

func pageExpired(p Provider) pageData {
	return pageData{
		Title:   "This link has expired",
		Message: "Sign-in links from /link work for 10 minutes. Nothing was changed.",
		Hint:    fmt.Sprintf("Run /link %s in Discord for a new one.", p),
	}
}

func pageBadState(p Provider) pageData {
	return pageData{
		Title:   "This sign-in link is not valid",
		Message: "It was already used, or it did not come from dubbot. Nothing was changed.",
		Hint:    fmt.Sprintf("Run /link %s in Discord for a new one.", p),
	}
}

func pageOldButton(p Provider) pageData {
	return pageData{
		Title:   "This button has expired",
		Message: "Re-link buttons in DMs work for 7 days. Nothing was changed.",
		Hint:    fmt.Sprintf("Run /link %s in Discord instead.", p),
	}
}

func pageFailed(p Provider) pageData {
	return pageData{
		Title:   "Linking did not work",
		Message: fmt.Sprintf("Something went wrong while talking to %s, so nothing was linked.", p.Title()),
		Hint:    fmt.Sprintf("Please run /link %s in Discord and try again in a few minutes.", p),
	}
}

var pageNotFound = pageData{
	Title:   "Not found",
	Message: "There is nothing to link here. Use /link in Discord to link an account.",
}
