package dev.citizen.gateway.observe;

/**
 * Watches requests go by: metrics, access log and tracing are observers. Every callback runs on
 * the request's event loop and must not block; anything slow (writing a log file, exporting spans)
 * is handed to another thread.
 *
 * <p>Observers see the request path; they do not change it. Changing requests and responses is
 * what filters ({@code dev.citizen.gateway.filter.Filter}) are for.
 */
public interface RequestObserver {

  /** The request's head arrived; ids are set, the route is not known yet. */
  default void requestStarted(RequestRecord record) {
  }

  /** An attempt at an endpoint is about to be sent. */
  default void attemptStarted(RequestRecord record, Attempt attempt) {
  }

  /** The attempt ended (its outcome is set). */
  default void attemptEnded(RequestRecord record, Attempt attempt) {
  }

  /**
   * Something the gateway decided about the request: {@code circuit_open}, {@code no_endpoint},
   * {@code retry}, {@code retry_budget_exhausted}, {@code deadline}.
   */
  default void event(RequestRecord record, String name) {
  }

  /** The response was written (or the client left); status, bytes and duration are set. */
  default void requestEnded(RequestRecord record) {
  }

  /**
   * The connection's guard refused what the client sent before it became a request (no
   * {@link RequestRecord} exists for it) and has written its error answer.
   */
  default void rejected(Rejection rejection) {
  }

  /**
   * The gateway closed a connection over how its client sent, with no request to answer (so no
   * {@link Rejection}): {@code reason} is {@code http2_frame_timeout} (a frame or request head
   * trickled slower than the head timeout allows).
   */
  default void connectionCut(String reason) {
  }
}
