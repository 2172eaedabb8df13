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
	MainConfig(Config{Name: name}, serve)
}

// MainConfig is Main with more of the Config set (Tour, for the RPC
// examples); Stdout and Logger are always os.Stdout and a text logger on
// os.Stderr.
func MainConfig(cfg Config, serve func(ctx context.Context, app *App) error) {
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg.Stdout = os.Stdout
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg, serve)
	stop()
	if err != nil {
		cfg.Logger.Error("example stopped", "example", cfg.Name, "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg Config, serve func(context.Context, *App) error) error {
	app, err := Start(cfg)
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
