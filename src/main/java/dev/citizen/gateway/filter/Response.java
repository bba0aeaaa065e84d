package dev.citizen.gateway.filter;

import dev.citizen.gateway.http.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;

/**
 * What goes back to the client: status, headers and a body that is either in memory (local
 * replies) or a stream from the upstream, written to the client with backpressure. Filters may
 * change status and headers before it is written.
 */
public final class Response {
  private int status;
  private final MultiMap headers;
  private final Buffer body;
  private final ReadStream<Buffer> stream;
  private final Problem problem;
  private final Runnable abort;

  private Response(int status, MultiMap headers, Buffer body, ReadStream<Buffer> stream, Problem problem,
      Runnable abort) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.stream = stream;
    this.problem = problem;
    this.abort = abort;
  }

  /**
   * A streamed response; {@code stream} must be paused, the writer resumes it. {@code abort}
   * releases the source (resets the upstream request) when the client goes away mid-body.
   */
  public static Response streamed(int status, MultiMap headers, ReadStream<Buffer> stream, Runnable abort) {
    return new Response(status, headers, null, stream, null, abort);
  }

  public static Response buffered(int status, MultiMap headers, Buffer body) {
    return new Response(status, headers, body, null, null, null);
  }

  /** A gateway-made error in problem+json; its body is rendered when the request id is known. */
  public static Response problem(Problem problem) {
    MultiMap headers = HttpHeaders.headers();
    headers.set(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE);
    return new Response(problem.status(), headers, null, null, problem, null);
  }

  public static Response problem(int status, String code, String detail) {
    return problem(new Problem(status, code, detail));
  }

  public int status() {
    return status;
  }

  public Response status(int status) {
    this.status = status;
    return this;
  }

  public MultiMap headers() {
    return headers;
  }

  /** The in-memory body, or null for a streamed or problem response. */
  public Buffer body() {
    return body;
  }

  /** The upstream body stream, or null. */
  public ReadStream<Buffer> stream() {
    return stream;
  }

  /** Releases the body source without reading it (no-op for in-memory bodies). */
  public void abort() {
    if (abort != null) {
      abort.run();
    }
  }

  /** The problem this response reports, or null when it is not a gateway-made error. */
  public Problem problem() {
    return problem;
  }
}
