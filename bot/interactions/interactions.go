// Package interactions serves Discord's HTTP interactions endpoint: every
// request is verified (Ed25519 signature and a fresh timestamp) before the
// router sees it.
package interactions

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"dubbot/bot"
	"dubbot/bot/discord"
)

// MaxSkew is how far a request's timestamp may be from now. discordgo's
// VerifyInteraction checks the signature only, so an old signed request
// could otherwise be replayed.
const MaxSkew = 5 * time.Minute

const maxBody = 1 << 20

// Handler is the /interactions endpoint.
type Handler struct {
	PublicKey ed25519.PublicKey
	Router    *bot.Router
	// REST completes deferred answers; without it slow handlers still
	// answer, but only if they finish inside Discord's deadline.
	REST  *discord.REST
	AppID string
	Log   *slog.Logger
	// Now is the clock, for tests.
	Now func() time.Time
	// Context is the parent of the handlers' work (the server's lifetime).
	Context context.Context
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if err := h.verify(r.Header, body); err != nil {
		h.Log.Info("rejected interaction request", slog.String("reason", err.Error()), slog.String("remote", r.RemoteAddr))
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if in.Type == discordgo.InteractionPing {
		writeJSON(w, bot.InteractionResponse{Type: bot.ResponsePong})
		return
	}
	req, err := discord.ToRequest(&in)
	if err != nil {
		http.Error(w, "unsupported interaction", http.StatusBadRequest)
		return
	}
	h.serve(w, r, req, in.ID, in.Token)
}

// serve runs the router and writes its first answer as the HTTP reply; a
// deferred answer is completed over REST after the reply.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, req *bot.Request, id, token string) {
	t := &replyTransport{first: make(chan bot.InteractionResponse, 1)}
	deferAfter := bot.DeferAfter
	if h.REST != nil {
		t.rest = h.REST.Transport(h.AppID, id, token)
	} else {
		deferAfter = 2800 * time.Millisecond
	}
	parent := h.Context
	if parent == nil {
		parent = context.Background()
	}
	go func() {
		if err := h.Router.Serve(parent, req, t, deferAfter); err != nil {
			h.Log.Error("answer interaction", slog.String("command", req.Command), slog.Any("error", err))
		}
	}()
	select {
	case p := <-t.first:
		writeJSON(w, p)
	case <-r.Context().Done():
	case <-time.After(3 * time.Second):
		http.Error(w, "no answer in time", http.StatusServiceUnavailable)
	}
}

func (h *Handler) verify(hdr http.Header, body []byte) error {
	if len(h.PublicKey) != ed25519.PublicKeySize {
		return errors.New("no public key configured")
	}
	sig, err := hex.DecodeString(hdr.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("missing or malformed signature")
	}
	ts := hdr.Get("X-Signature-Timestamp")
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	if skew := now().Sub(time.Unix(unix, 0)); skew > MaxSkew || skew < -MaxSkew {
		return errors.New("stale timestamp")
	}
	msg := append([]byte(ts), body...)
	if !ed25519.Verify(h.PublicKey, msg, sig) {
		return errors.New("signature does not verify")
	}
	return nil
}

type replyTransport struct {
	first chan bot.InteractionResponse
	rest  bot.Transport
}

func (t *replyTransport) Respond(ctx context.Context, p bot.InteractionResponse) error {
	select {
	case t.first <- p:
		return nil
	default:
		return errors.New("interaction already answered")
	}
}

func (t *replyTransport) EditOriginal(ctx context.Context, d *bot.MessageData) error {
	if t.rest == nil {
		return errors.New("cannot complete a deferred answer without DISCORD_TOKEN")
	}
	return t.rest.EditOriginal(ctx, d)
}

func (t *replyTransport) Followup(ctx context.Context, d *bot.MessageData) error {
	if t.rest == nil {
		return errors.New("cannot send a followup without DISCORD_TOKEN")
	}
	return t.rest.Followup(ctx, d)
}

func (t *replyTransport) DeleteOriginal(ctx context.Context) error {
	if t.rest == nil {
		return errors.New("cannot delete a deferred answer without DISCORD_TOKEN")
	}
	return t.rest.DeleteOriginal(ctx)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
