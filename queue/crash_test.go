package queue

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"dubbot/store"
)

const childEnv = "DUBBOT_QUEUE_CRASH_CHILD"

// TestCrashChild is the child process of TestSIGKILLLosesNothing: it works
// the queue in dir until it is empty or it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestSIGKILLLosesNothing")
	}
	db, err := store.Open(dir, store.Options{LockTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	q := New(db, Options{Workers: 3}, Kind{Name: "work", Handle: func(ctx context.Context, it *Item, report func(int)) (Effect, error) {
		report(50)
		time.Sleep(2 * time.Millisecond) // a fetch
		return countEffect(it.Key), nil
	}})
	if _, err := q.Recover(); err != nil {
		t.Fatal(err)
	}
	if err := q.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func TestSIGKILLLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	const items = 300
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := New(db, Options{})
	for i := 0; i < items; i++ {
		if _, err := q.Enqueue(Request{Key: fmt.Sprintf("item-%03d", i), Kind: "work", Priority: Priority(i % 3)}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	kills := 0
	for round := 0; round < 6; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("child %d failed: %v", round, err)
			}
			round = 99 // finished on its own
		case <-time.After(time.Duration(150+round*60) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		}
	}
	// A last, uninterrupted run finishes whatever is left.
	final := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	final.Env = append(os.Environ(), childEnv+"="+dir)
	if out, err := final.CombinedOutput(); err != nil {
		t.Fatalf("final child: %v\n%s", err, out)
	}

	db, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q = New(db, Options{})
	c, err := q.Counts()
	if err != nil {
		t.Fatal(err)
	}
	if c.Completed != items || c.Total() != items {
		t.Fatalf("after %d kills: %+v, want all %d completed", kills, c, items)
	}
	for i := 0; i < items; i++ {
		key := fmt.Sprintf("item-%03d", i)
		if n := effects(t, db, key); n != 1 {
			t.Errorf("%s: effect applied %d times, want exactly once", key, n)
		}
	}
	t.Logf("%d items, %d SIGKILLs mid-work: all completed, each effect applied once", items, kills)
	if kills == 0 {
		t.Fatal("no child was killed mid-work, so the test proved nothing; slow the child's work down")
	}
}
