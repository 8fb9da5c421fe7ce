package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// reply is a decoded REST answer.
type reply struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// call sends one REST request to the fake with the bot's token. path
// includes the /api/vN prefix; body is encoded to JSON unless it is nil.
func call(t *testing.T, f *Server, method, path string, body any) reply {
	t.Helper()
	return callAuth(t, f, "Bot "+f.BotToken, method, path, body)
}

func callAuth(t *testing.T, f *Server, auth, method, path string, body any) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.URL()+path, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	return send(t, req)
}

// testClient bounds every request of these tests.
var testClient = &http.Client{Timeout: wait}

func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// code returns the Discord error code of a reply, or 0.
func (r reply) code() int {
	c, _ := r.body["code"].(float64)
	return int(c)
}

func TestRESTPrefixesAndAuth(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	tests := []struct {
		name, auth, method, path string
		wantStatus               int
	}{
		{"v10", "Bot " + f.BotToken, "GET", "/api/v10/users/@me", 200},
		{"v9", "Bot " + f.BotToken, "GET", "/api/v9/users/@me", 200},
		{"no version", "Bot " + f.BotToken, "GET", "/api/users/@me", 404},
		{"gateway bot", "Bot " + f.BotToken, "GET", "/api/v10/gateway/bot", 200},
		{"missing token", "", "GET", "/api/v10/users/@me", 401},
		{"token without Bot prefix", f.BotToken, "GET", "/api/v10/users/@me", 401},
		{"wrong token", "Bot nope", "GET", "/api/v10/gateway", 401},
		{"webhook route needs no token", "", "POST", "/api/v10/webhooks/" + f.AppID + "/unknown", 404},
		{"webhook route rejects a wrong token", "Bot nope", "POST", "/api/v10/webhooks/" + f.AppID + "/unknown", 401},
		{"unknown route", "Bot " + f.BotToken, "GET", "/api/v10/nothing/here", 404},
		{"empty segment is not redirected", "Bot " + f.BotToken, "PATCH", "/api/v10/webhooks/" + f.AppID + "//messages/@original", 404},
	}
	for _, tc := range tests {
		if r := callAuth(t, f, tc.auth, tc.method, tc.path, nil); r.status != tc.wantStatus {
			t.Errorf("%s: %s %s = %d %s, want %d", tc.name, tc.method, tc.path, r.status, r.raw, tc.wantStatus)
		}
	}
	if got := f.Unauthorized(); got != 4 {
		t.Errorf("Unauthorized() = %d, want 4", got)
	}
	reqs := f.Requests()
	if len(reqs) != len(tests) || reqs[1].APIVersion != "9" || reqs[1].Path != "/users/@me" || !reqs[1].Authorized {
		t.Errorf("Requests()[1] = %+v of %d", reqs[1], len(reqs))
	}
	if reqs[0].Header.Get("Authorization") != "" {
		t.Error("recorded headers keep the token")
	}
	gw := call(t, f, "GET", "/api/v10/gateway/bot", nil)
	if gw.body["url"] != f.GatewayURL() || gw.body["shards"] != 1.0 {
		t.Errorf("gateway/bot = %s", gw.raw)
	}
}

func TestChannelMessageNonce(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	const ch = "42"
	post := func(content string, nonce any, enforce bool) reply {
		return call(t, f, "POST", "/api/v10/channels/"+ch+"/messages",
			map[string]any{"content": content, "nonce": nonce, "enforce_nonce": enforce})
	}
	first := post("ep 5", "ann-1-5", true)
	again := post("ep 5 retry", "ann-1-5", true)
	loose := post("ep 5 loose", "ann-1-5", false)
	numeric := post("ep 6", 1234, true)
	numericAgain := post("ep 6 retry", 1234, true)
	if first.status != 200 || again.status != 200 || first.body["id"] != again.body["id"] || again.body["content"] != "ep 5" {
		t.Errorf("repeated enforced nonce: first %s, again %s", first.raw, again.raw)
	}
	if loose.body["id"] == first.body["id"] || numericAgain.body["id"] != numeric.body["id"] {
		t.Errorf("unenforced or numeric nonces: loose %s numeric %s/%s", loose.raw, numeric.raw, numericAgain.raw)
	}
	msgs := f.Messages(ch)
	if len(msgs) != 3 || f.NonceDedupes() != 2 || msgs[0].Nonce != "ann-1-5" || msgs[2].Nonce != "1234" {
		t.Errorf("Messages = %+v, dedupes %d; want 3 messages, 2 dedupes", msgs, f.NonceDedupes())
	}
	if author, _ := first.body["author"].(map[string]any); author["id"] != f.AppID {
		t.Errorf("message author = %v, want the bot", first.body["author"])
	}
}

func TestMultipartMessage(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("payload_json", `{"content":"see attached"}`)
	fw, _ := mw.CreateFormFile("files[0]", "list.txt")
	_, _ = fw.Write([]byte("Frieren\n"))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", f.APIURL()+"/channels/7/messages", &buf)
	req.Header.Set("Authorization", "Bot "+f.BotToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := send(t, req); r.status != 200 {
		t.Fatalf("multipart post = %d %s", r.status, r.raw)
	}
	reqs := f.Requests()
	if msgs := f.Messages("7"); len(msgs) != 1 || msgs[0].Body.Content() != "see attached" || reqs[0].Files != 1 {
		t.Errorf("messages %+v, files %d", msgs, reqs[0].Files)
	}
}

func TestInvalidJSONBody(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	req, _ := http.NewRequest("POST", f.APIURL()+"/channels/7/messages", strings.NewReader("{nope"))
	req.Header.Set("Authorization", "Bot "+f.BotToken)
	if r := send(t, req); r.status != 400 || r.code() != CodeInvalidJSON {
		t.Errorf("invalid JSON = %d %s", r.status, r.raw)
	}
}

func TestChannelAndGuildState(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	f.SetGuild(Guild{ID: "1", OwnerID: "9", Roles: []Role{{ID: "1", Name: "@everyone", Permissions: 1024}}})
	f.SetChannel(Channel{ID: "2", GuildID: "1", Name: "news", Overwrites: []Overwrite{{ID: "1", Deny: 2048}}})
	f.SetMember("1", Member{UserID: "3", Username: "kai", Roles: []string{"1"}})
	dm := call(t, f, "POST", "/api/v10/users/@me/channels", map[string]string{"recipient_id": "3"})
	dmAgain := call(t, f, "POST", "/api/v10/users/@me/channels", map[string]string{"recipient_id": "3"})
	dmID, _ := dm.body["id"].(string)
	tests := []struct {
		path       string
		wantStatus int
		wantCode   int
		wantField  string
		wantValue  any
	}{
		{"/guilds/1", 200, 0, "owner_id", "9"},
		{"/guilds/5", 404, CodeUnknownGuild, "", nil},
		{"/guilds/1/members/3", 200, 0, "nick", nil},
		{"/guilds/1/members/4", 404, CodeUnknownMember, "", nil},
		{"/channels/2", 200, 0, "name", "news"},
		{"/channels/8", 404, CodeUnknownChannel, "", nil},
		{"/channels/" + dmID, 200, 0, "type", 1.0},
	}
	for _, tc := range tests {
		r := call(t, f, "GET", "/api/v10"+tc.path, nil)
		if r.status != tc.wantStatus || r.code() != tc.wantCode || (tc.wantField != "" && r.body[tc.wantField] != tc.wantValue) {
			t.Errorf("GET %s = %d %s", tc.path, r.status, r.raw)
		}
	}
	if dm.body["type"] != 1.0 || dmAgain.body["id"] != dmID {
		t.Errorf("DM channel not stable: %s then %s", dm.raw, dmAgain.raw)
	}
	roles := call(t, f, "GET", "/api/v10/guilds/1/roles", nil)
	var list []map[string]any
	_ = json.Unmarshal(roles.raw, &list)
	if len(list) != 1 || list[0]["permissions"] != "1024" {
		t.Errorf("roles = %s, want permissions as a string", roles.raw)
	}
	ch := call(t, f, "GET", "/api/v10/channels/2", nil)
	if ow := ch.body["permission_overwrites"].([]any)[0].(map[string]any); ow["deny"] != "2048" || ow["allow"] != "0" {
		t.Errorf("overwrite = %v", ow)
	}
	f.DenyChannel("2")
	if r := call(t, f, "GET", "/api/v10/channels/2", nil); r.status != 403 || r.code() != CodeMissingAccess {
		t.Errorf("denied channel = %d %s", r.status, r.raw)
	}
	f.SetChannel(Channel{ID: "2", GuildID: "1"})
	if r := call(t, f, "GET", "/api/v10/channels/2", nil); r.status != 200 {
		t.Errorf("SetChannel did not restore access: %d %s", r.status, r.raw)
	}
}

func TestCallbackRules(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	longChoices := make([]map[string]any, 26)
	for i := range longChoices {
		longChoices[i] = map[string]any{"name": fmt.Sprint(i), "value": fmt.Sprint(i)}
	}
	tests := []struct {
		name     string
		payload  json.RawMessage
		body     map[string]any
		wantCode int // 0: 204 accepted
	}{
		{"message", f.SlashCommand(Command{Name: "dub"}), map[string]any{"type": 4, "data": map[string]any{"content": "yes"}}, 0},
		{"empty message", f.SlashCommand(Command{Name: "dub"}), map[string]any{"type": 4, "data": map[string]any{}}, CodeEmptyMessage},
		{"deferred", f.SlashCommand(Command{Name: "dub"}), map[string]any{"type": 5, "data": map[string]any{"flags": 64}}, 0},
		{"update on a command", f.SlashCommand(Command{Name: "dub"}), map[string]any{"type": 7, "data": map[string]any{"content": "x"}}, CodeInvalidFormBody},
		{"update on a component", f.Component("p:1", nil), map[string]any{"type": 7, "data": map[string]any{"content": "x"}}, 0},
		{"deferred update on a select", f.Component("sel", []string{"a"}), map[string]any{"type": 6}, 0},
		{"autocomplete result", f.Autocomplete(Command{Name: "dub"}), map[string]any{"type": 8, "data": map[string]any{"choices": []any{}}}, 0},
		{"too many choices", f.Autocomplete(Command{Name: "dub"}), map[string]any{"type": 8, "data": map[string]any{"choices": longChoices}}, CodeInvalidFormBody},
		{"message to autocomplete", f.Autocomplete(Command{Name: "dub"}), map[string]any{"type": 4, "data": map[string]any{"content": "x"}}, CodeInvalidFormBody},
		{"modal", f.SlashCommand(Command{Name: "link"}), map[string]any{"type": 9, "data": map[string]any{
			"custom_id": "m", "title": "Link", "components": []any{map[string]any{"type": 1}}}}, 0},
		{"modal without title", f.SlashCommand(Command{Name: "link"}), map[string]any{"type": 9, "data": map[string]any{
			"custom_id": "m", "components": []any{map[string]any{"type": 1}}}}, CodeInvalidFormBody},
	}
	for _, tc := range tests {
		id, token := InteractionIDs(tc.payload)
		r := call(t, f, "POST", "/api/v10/interactions/"+id+"/"+token+"/callback", tc.body)
		wantStatus := 204
		if tc.wantCode != 0 {
			wantStatus = 400
		}
		if r.status != wantStatus || r.code() != tc.wantCode {
			t.Errorf("%s: callback = %d %s, want %d code %d", tc.name, r.status, r.raw, wantStatus, tc.wantCode)
		}
	}
	if n := len(f.Callbacks()); n != 6 {
		t.Errorf("Callbacks() has %d entries, want 6 accepted", n)
	}
	id, _ := InteractionIDs(f.SlashCommand(Command{Name: "dub"}))
	if r := call(t, f, "POST", "/api/v10/interactions/"+id+"/wrong-token/callback", map[string]any{"type": 5}); r.code() != CodeUnknownInteraction {
		t.Errorf("wrong token = %d %s", r.status, r.raw)
	}
}

func TestWebhookRules(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	auto := f.Autocomplete(Command{Name: "dub"})
	cmd := f.SlashCommand(Command{Name: "dub"})
	autoID, autoToken := InteractionIDs(auto)
	_, token := InteractionIDs(cmd)
	base := "/api/v10/webhooks/" + f.AppID + "/"
	edit := map[string]any{"content": "done"}

	if r := call(t, f, "PATCH", base+token+"/messages/@original", edit); r.code() != CodeUnknownWebhook {
		t.Errorf("edit before acknowledgement = %d %s, want 10015", r.status, r.raw)
	}
	id, _ := InteractionIDs(cmd)
	call(t, f, "POST", "/api/v10/interactions/"+id+"/"+token+"/callback", map[string]any{"type": 5})
	call(t, f, "POST", "/api/v10/interactions/"+autoID+"/"+autoToken+"/callback", map[string]any{"type": 8, "data": map[string]any{"choices": []any{}}})
	tests := []struct {
		name, method, path string
		body               any
		wantStatus         int
		wantCode           int
	}{
		{"edit original", "PATCH", base + token + "/messages/@original", edit, 200, 0},
		{"wrong app", "PATCH", "/api/v10/webhooks/1/" + token + "/messages/@original", edit, 404, CodeUnknownWebhook},
		{"unknown follow-up", "PATCH", base + token + "/messages/123", edit, 404, CodeUnknownMessage},
		{"no original after autocomplete", "PATCH", base + autoToken + "/messages/@original", edit, 404, CodeUnknownMessage},
		{"embed too long", "PATCH", base + token + "/messages/@original", map[string]any{
			"embeds": []any{map[string]any{"description": strings.Repeat("x", 4097)}}}, 400, CodeInvalidFormBody},
		{"empty follow-up", "POST", base + token, map[string]any{}, 400, CodeEmptyMessage},
		{"delete original", "DELETE", base + token + "/messages/@original", nil, 204, 0},
		{"edit deleted original", "PATCH", base + token + "/messages/@original", edit, 404, CodeUnknownMessage},
	}
	for _, tc := range tests {
		if r := call(t, f, tc.method, tc.path, tc.body); r.status != tc.wantStatus || r.code() != tc.wantCode {
			t.Errorf("%s: %d %s, want %d code %d", tc.name, r.status, r.raw, tc.wantStatus, tc.wantCode)
		}
	}
	edits := f.Edits()
	if len(edits) != 2 || edits[0].Body.Content() != "done" || !edits[1].Deleted {
		t.Errorf("Edits() = %+v", edits)
	}
}

func TestFormErrorShape(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	r := call(t, f, "POST", "/api/v10/channels/1/messages", map[string]any{
		"embeds": []any{map[string]any{"title": strings.Repeat("t", 257), "description": "ok"}},
	})
	errs, _ := r.body["errors"].(map[string]any)
	title := dig(errs, "embeds", "0", "title", "_errors")
	if r.status != 400 || r.code() != CodeInvalidFormBody || r.body["message"] != "Invalid Form Body" || title == nil {
		t.Errorf("form error = %d %s", r.status, r.raw)
	}
}

// dig walks nested JSON objects.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestScriptedFailuresAndLatency(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	f.FailRoute("", "/users/@me", 2, 502, 0, "Bad Gateway")
	f.RateLimit("GET", "/api/v9/gateway", 1, 1500*time.Millisecond)
	f.SetLatency("GET /gateway/bot", 30*time.Millisecond)

	statuses := []int{
		call(t, f, "GET", "/api/v10/users/@me", nil).status,
		call(t, f, "GET", "/api/v9/users/@me", nil).status,
		call(t, f, "GET", "/api/v10/users/@me", nil).status,
	}
	if fmt.Sprint(statuses) != "[502 502 200]" {
		t.Errorf("FailRoute n=2 statuses = %v", statuses)
	}
	limited := call(t, f, "GET", "/api/v10/gateway", nil)
	if limited.status != 429 || limited.header.Get("Retry-After") != "2" ||
		limited.body["retry_after"] != 1.5 || limited.body["global"] != false || limited.body["message"] != rateLimitMessage {
		t.Errorf("rate limit = %d %v %s", limited.status, limited.header, limited.raw)
	}
	if r := call(t, f, "GET", "/api/v10/gateway", nil); r.status != 200 {
		t.Errorf("after the rate limit = %d", r.status)
	}
	start := time.Now()
	call(t, f, "GET", "/api/v10/gateway/bot", nil)
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}
	f.ClearScript()
	f.FailRoute("GET", "/users/@me", -1, 500, 0, "down")
	for range 3 {
		if r := call(t, f, "GET", "/api/v10/users/@me", nil); r.status != 500 {
			t.Errorf("negative n should fail every time, got %d", r.status)
		}
	}
}

func TestWaitersTimeOut(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	if _, err := f.WaitCallback("1", 10*time.Millisecond); err == nil || !strings.Contains(err.Error(), "callback for interaction 1") {
		t.Errorf("WaitCallback error = %v", err)
	}
	if _, err := f.WaitMessages("1", 1, 10*time.Millisecond); err == nil {
		t.Error("WaitMessages did not time out")
	}
	if err := f.WaitConnected(10 * time.Millisecond); err == nil {
		t.Error("WaitConnected did not time out")
	}
	if err := f.DispatchInteraction(f.SlashCommand(Command{Name: "x"})); err == nil {
		t.Error("DispatchInteraction without a session should fail")
	}
}

func TestWaitMessagesWakesUp(t *testing.T) {
	t.Parallel()
	f := New()
	t.Cleanup(f.Close)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 3 {
			call(t, f, "POST", "/api/v10/channels/5/messages", map[string]any{"content": fmt.Sprint(i)})
		}
	}()
	msgs, err := f.WaitMessages("5", 3, wait)
	wg.Wait()
	if err != nil || len(msgs) != 3 || msgs[2].Body.Content() != "2" {
		t.Errorf("WaitMessages = %+v, %v", msgs, err)
	}
}

// BenchmarkConcurrentDeferredCallbacks models ten users running a slow
// command at once against a 50 ms Discord: one op should take about
// 50 ms, not 500 ms, because the fake answers requests in parallel.
func BenchmarkConcurrentDeferredCallbacks(b *testing.B) {
	f := New()
	defer f.Close()
	f.SetLatency("POST /interactions/{id}/{token}/callback", 50*time.Millisecond)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 10}}
	for b.Loop() {
		var wg sync.WaitGroup
		for range 10 {
			id, token := InteractionIDs(f.SlashCommand(Command{Name: "search"}))
			wg.Go(func() {
				req, _ := http.NewRequest("POST", f.APIURL()+"/interactions/"+id+"/"+token+"/callback", strings.NewReader(`{"type":5}`))
				req.Header.Set("Authorization", "Bot "+f.BotToken)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != http.StatusNoContent {
					b.Errorf("callback: %v %v", resp, err)
					return
				}
				resp.Body.Close()
			})
		}
		wg.Wait()
	}
}
