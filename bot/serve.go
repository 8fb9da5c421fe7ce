package bot

import (
	"context"
	"fmt"
	"time"
)

// Transport delivers the answers to one interaction: the gateway adapter
// posts them to Discord's REST API, the HTTP endpoint writes the first one
// as its HTTP reply.
type Transport interface {
	// Respond sends the one initial callback.
	Respond(ctx context.Context, payload InteractionResponse) error
	// EditOriginal completes a deferred response.
	EditOriginal(ctx context.Context, data *MessageData) error
	// Followup sends a further message after the response.
	Followup(ctx context.Context, data *MessageData) error
	// DeleteOriginal removes the deferred response's placeholder.
	DeleteOriginal(ctx context.Context) error
}

// DeferAfter is how long a handler may run before the router acknowledges
// the interaction and finishes with an edit; Discord allows 3 seconds.
const DeferAfter = 2 * time.Second

// handlerTimeout bounds a handler by the interaction token's 15-minute life.
const handlerTimeout = 14 * time.Minute

// Serve answers req through t. A handler that takes longer than deferAfter
// is deferred (a "thinking…" state) and its answer sent as an edit, so slow
// upstream work never misses Discord's deadline. Autocomplete cannot be
// deferred and is answered with whatever the handler returns.
func (r *Router) Serve(ctx context.Context, req *Request, t Transport, deferAfter time.Duration) error {
	// The answer must go out even when ctx ends meanwhile (a shutdown):
	// Discord would show the user a failure otherwise.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerTimeout)
	defer cancel()
	if req.Kind == KindAutocomplete {
		return t.Respond(hctx, r.Handle(hctx, req).Payload())
	}
	done := make(chan *Response, 1)
	go func() { done <- r.Handle(hctx, req) }()
	timer := time.NewTimer(deferAfter)
	defer timer.Stop()
	var resp *Response
	select {
	case resp = <-done:
		if err := t.Respond(hctx, resp.Payload()); err != nil {
			return err
		}
	case <-timer.C:
		deferral := r.deferral(req)
		if err := t.Respond(hctx, deferral); err != nil {
			return fmt.Errorf("defer /%s: %w", req.Command, err)
		}
		resp = <-done
		if err := complete(hctx, req, deferral, resp, t); err != nil {
			return err
		}
	}
	for _, n := range resp.Notices {
		if err := t.Followup(hctx, Private(n).Data()); err != nil {
			return fmt.Errorf("send notice: %w", err)
		}
	}
	return nil
}

// complete finishes a deferred interaction. An answer that cannot take the
// deferred message's place (a new message in answer to a button, or a
// private answer where a public one was deferred) goes out as a followup,
// so nobody else sees a private answer and a button's message stays.
func complete(ctx context.Context, req *Request, deferral InteractionResponse, resp *Response, t Transport) error {
	deferredPrivate := deferral.Data != nil && deferral.Data.Flags&FlagEphemeral != 0
	switch {
	case req.Kind == KindComponent && !resp.Update:
		return t.Followup(ctx, resp.Data())
	case req.Kind == KindCommand && resp.Ephemeral && !deferredPrivate:
		if err := t.DeleteOriginal(ctx); err != nil {
			return err
		}
		return t.Followup(ctx, resp.Data())
	}
	return t.EditOriginal(ctx, resp.Data())
}

func (r *Router) deferral(req *Request) InteractionResponse {
	if req.Kind == KindComponent {
		return InteractionResponse{Type: ResponseDeferredUpdate}
	}
	d := &MessageData{}
	if cmd := r.byPath[req.Command]; cmd != nil && cmd.Ephemeral {
		d.Flags = FlagEphemeral
	}
	return InteractionResponse{Type: ResponseDeferredMessage, Data: d}
}
