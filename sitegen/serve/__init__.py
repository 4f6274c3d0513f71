"""The preview server: rebuild what a change touches, serve the result, reload the browser."""
