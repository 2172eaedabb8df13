package exampleapp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// ShutdownTimeout bounds a graceful shutdown after SIGINT or SIGTERM.
const ShutdownTimeout = 5 * time.Second

// Main is the whole main function of an example: it logs to stderr, starts
// the App (Start), calls serve until SIGINT or SIGTERM cancels ctx, closes
// the App and exits non-zero on error. serve must return once ctx is done.
func Main(name string, serve func(ctx context.Context, app *App) error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, name, logger, serve)
	stop()
	if err != nil {
		logger.Error("example stopped", "example", name, "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, name string, logger *slog.Logger, serve func(context.Context, *App) error) error {
	app, err := Start(Config{Name: name, Stdout: os.Stdout, Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()
	return serve(ctx, app)
}

// ServeHTTP serves h on the App's listener with net/http until ctx is done,
// then shuts down gracefully within ShutdownTimeout.
func (a *App) ServeHTTP(ctx context.Context, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(a.Listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
