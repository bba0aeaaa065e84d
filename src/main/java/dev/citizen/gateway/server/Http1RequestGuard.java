package dev.citizen.gateway.server;

import dev.citizen.gateway.http.Problem;
import dev.citizen.gateway.http.RequestIds;
import dev.citizen.gateway.observe.Rejection;
import dev.citizen.gateway.observe.RequestObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.net.impl.ShutdownEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strict HTTP/1.1 framing check in front of Vert.x's lenient request decoder.
 *
 * <p>The gateway adds one instance per HTTP/1.x connection, just before Vert.x's
 * {@code "httpDecoder"} ({@code pipeline.addBefore("httpDecoder", "guard", guard)}). It scans the
 * raw bytes with a small state machine that survives any split of the input and forwards every
 * buffer unchanged (the same object, no copy) while the bytes are well formed.
 *
 * <p>Why: request smuggling lives in the gap between two parsers that frame the same bytes
 * differently (this gateway and an upstream, or a load balancer in front of it). Netty accepts,
 * and repairs, several ambiguous forms: bare LF line ends, whitespace before the colon, obs-fold,
 * Transfer-Encoding lists, Content-Length next to Transfer-Encoding. Rejecting all of them here
 * means that every request the gateway does accept has one possible reading (RFC 9112 §11.2).
 * Rules and sources:
 *
 * <ul>
 *   <li>CRLF only; a bare CR or LF is an error (RFC 9112 §2.2).
 *   <li>request-line {@code method SP target SP HTTP/1.x}, single SPs (RFC 9112 §3); target
 *       longer than {@code maxUriBytes}: 414; other versions {@code HTTP/d.d}: 505.
 *   <li>no obs-fold (RFC 9112 §5.2), nothing between name and colon (RFC 9112 §5.1), no CTL in
 *       values (RFC 9110 §5.5).
 *   <li>framing (RFC 9112 §6.1, §6.3): Content-Length values all equal; Transfer-Encoding only as
 *       one line, exactly {@code chunked}, never with Content-Length, never in HTTP/1.0; exactly
 *       one Host in HTTP/1.1 (RFC 9112 §3.2).
 *   <li>head (and trailer section) larger than {@code maxHeaderBytes}: 431; head not complete
 *       within {@code headerTimeoutMillis}: 408 (slow-loris).
 * </ul>
 *
 * <p>Bodies are skipped by their framing (Content-Length count, or strict chunk lines) only to find
 * where the next pipelined request starts. An HTTP/1.1 request with a WebSocket {@code Upgrade}
 * header ends the checking once the upgrade is accepted: the guard removes itself at the first
 * read after Vert.x has taken its {@code "httpDecoder"} out of the pipeline (which it does when it
 * turns the connection into a tunnel), because from then on the bytes are WebSocket frames. Until
 * then every byte is still checked as HTTP.
 *
 * <p>On a violation the guard stops reading, drops the bad bytes and writes a complete problem+json
 * response itself, below the HTTP encoder, then closes. If an earlier request on the connection
 * still waits for its answer, that raw write would cut into it, so the error waits until the
 * gateway has reported every owed response through {@link #responseCompleted()}.
 *
 * <p>Not thread-safe and not {@code @Sharable}: all methods run on the channel's event loop.
 */
public final class Http1RequestGuard extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Http1RequestGuard.class);

  /**
   * Limits of one connection.
   *
   * @param maxHeaderBytes request-line plus header lines plus their CRLFs (and, separately, a
   *     chunked trailer section); over it 431
   * @param maxUriBytes request-target length; over it 414
   * @param headerTimeoutMillis time to receive a complete head; {@code <= 0} disables the timer
   * @param extraHead header lines ({@code Name: value\r\n} each) added to the guard's own error
   *     answers: the gateway's security headers
   * @param observer told of each error answer ({@link RequestObserver#rejected}), so that the logs,
   *     traces and metrics have it; null for none
   */
  public record Settings(int maxHeaderBytes, int maxUriBytes, long headerTimeoutMillis, String extraHead,
      RequestObserver observer) {
    public Settings {
      if (maxHeaderBytes < 1 || maxUriBytes < 1) {
        throw new IllegalArgumentException("maxHeaderBytes and maxUriBytes must be positive");
      }
      extraHead = extraHead == null ? "" : extraHead;
    }

    public Settings(int maxHeaderBytes, int maxUriBytes, long headerTimeoutMillis) {
      this(maxHeaderBytes, maxUriBytes, headerTimeoutMillis, "", null);
    }
  }

  private static final int SP = ' ';
  private static final int HTAB = '\t';
  private static final int CR = '\r';
  private static final int LF = '\n';

  /** RFC 9112 §2.2 asks to ignore "at least one" empty line before a request; more is abuse. */
  private static final int MAX_LEADING_EMPTY_LINES = 4;
  /** Chunk-size line without CRLF; the same bound as Netty's default line limit. */
  private static final int MAX_CHUNK_LINE = 4096;
  private static final int MAX_CONTENT_LENGTH_DIGITS = 18; // always fits a long
  private static final int MAX_CHUNK_SIZE_DIGITS = 16; // 64 bits

  // States. METHOD..SECTION_LF are the bytes of a head or trailer section and count against
  // maxHeaderBytes.
  private static final int START = 0; // before a request-line (leading CRLFs allowed)
  private static final int START_LF = 1; // CR of a leading empty line seen
  private static final int METHOD = 2;
  private static final int TARGET = 3;
  private static final int VERSION = 4;
  private static final int LINE_LF = 5; // CR ending the request-line or a field line seen
  private static final int FIELD_START = 6; // first byte of a field line (or of the empty line)
  private static final int FIELD_NAME = 7;
  private static final int FIELD_VALUE = 8;
  private static final int SECTION_LF = 9; // CR of the empty line ending head or trailers seen
  private static final int BODY = 10; // Content-Length bytes to skip
  private static final int CHUNK_SIZE = 11;
  private static final int CHUNK_EXT = 12;
  private static final int CHUNK_LINE_LF = 13;
  private static final int CHUNK_DATA = 14;
  private static final int CHUNK_DATA_CR = 15;
  private static final int CHUNK_DATA_LF = 16;
  private static final int FAILED = 17; // error decided; everything further is dropped

  /** The only field names whose values matter, lower case; indexes are the F_ constants. */
  private static final byte[][] NAMES = {
    ascii("content-length"), ascii("transfer-encoding"), ascii("host"), ascii("upgrade")
  };
  private static final int F_NONE = -1;
  private static final int F_CONTENT_LENGTH = 0;
  private static final int F_TRANSFER_ENCODING = 1;
  private static final int F_HOST = 2;
  private static final int F_UPGRADE = 3;
  private static final int ALL_NAMES = (1 << NAMES.length) - 1;
  private static final byte[] CHUNKED = ascii("chunked");
  private static final byte[] WEBSOCKET = ascii("websocket");
  private static final byte[] HTTP_SLASH = ascii("HTTP/");

  /** RFC 9110 §5.6.2 tchar: the bytes of a method or a field name. */
  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private final Settings settings;
  private final Runnable onHeadTimeout = this::onHeadTimeout;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> headTimer;

  private int state = START;
  /** Responses owed for forwarded request heads; a raw error write must wait until zero. */
  private int owed;
  /** End of the well-formed prefix of the buffer being scanned: complete heads and messages. */
  private int safeEnd;
  private boolean passThrough;
  /** A WebSocket upgrade head was forwarded; checking goes on until Vert.x drops its decoder. */
  private boolean upgradePending;
  private int errorStatus; // 0 = none pending
  private String errorDetail;
  /** The failure is in a body whose head already went to the gateway. */
  private boolean errorInBody;
  /** The gateway announced Connection: close; requests still dispatched must not run. */
  private boolean closing;
  /** A drain's shutdown event, held back while a request head is on its way (see userEventTriggered). */
  private Object heldShutdown;
  /** At least one request head went to Vert.x on this connection. */
  private boolean anyHead;
  /** The current request's reader of its body, told when that body's framing breaks. */
  private java.util.function.Consumer<String> bodyErrorListener;

  // Current request head.
  private int leadingEmptyLines;
  private int headBytes; // also reused for a trailer section
  private int targetLen;
  private int versionLen;
  private int versionMajor;
  private int versionMinor;
  private boolean http11;
  private boolean inTrailers;
  private int hostCount;
  private boolean contentLengthSeen;
  private long contentLength; // -1 until a value is complete
  private boolean transferEncodingSeen;
  private boolean upgrade;
  private int wsMatched; // bytes of "websocket" matched so far in the current Upgrade value

  // Current field line.
  private int nameLen;
  private int nameCandidates; // bit k: the name so far is a prefix of NAMES[k]
  private int field;
  private int clDigits; // Content-Length list element being read
  private long clValue;
  private boolean clAfterDigits;
  private int teMatched; // Transfer-Encoding: bytes of "chunked" matched
  private boolean teAfterToken;

  // Body.
  private long remaining; // BODY / CHUNK_DATA bytes left; for chunks read as unsigned
  private int chunkDigits;
  private int chunkLineLen;

  public Http1RequestGuard(Settings settings) {
    this.settings = settings;
  }

  /** The guard in {@code ch}'s pipeline, or null (none added, or removed after an upgrade). */
  public static Http1RequestGuard of(Channel ch) {
    return ch.pipeline().get(Http1RequestGuard.class);
  }

  /**
   * The gateway finished one response on this connection (call on the channel's event loop, once
   * its last bytes have been written, e.g. from the completion of {@code response.end()}). Lets a
   * deferred error go out once nothing else is owed.
   */
  public void responseCompleted() {
    if (owed > 0) {
      owed--;
    }
    bodyErrorListener = null;
    writePendingErrorIfDue();
  }

  /**
   * The gateway answered with {@code Connection: close}. Vert.x still dispatches requests that
   * were pipelined behind that answer before the connection closes; the gateway asks
   * {@link #isClosing()} and drops them, so a request the client will never see answered never
   * reaches a service.
   */
  public void markClosing() {
    closing = true;
  }

  public boolean isClosing() {
    return closing;
  }

  /**
   * Registers the reader of the current request's body. When that body's chunked framing turns
   * out broken, the listener is told (now, if it already happened) and answers the client itself
   * (400, or a closed connection once its response started); the guard then only makes sure the
   * connection closes.
   */
  public void onBodyError(java.util.function.Consumer<String> listener) {
    bodyErrorListener = listener;
    if (errorInBody && errorStatus != 0) {
      tellBodyError();
    }
  }

  private void tellBodyError() {
    var listener = bodyErrorListener;
    bodyErrorListener = null;
    String detail = errorDetail;
    errorStatus = 0; // the gateway answers; the guard writes nothing itself
    closing = true;
    listener.accept(detail);
  }

  // ---------------------------------------------------------------- channel events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      armHeadTimer(); // the connection waits for its first request from now on
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (state == START && owed == 0) {
      armHeadTimer();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelHeadTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelHeadTimer();
    if (heldShutdown != null) { // never lose it: the connection must still close
      Object evt = heldShutdown;
      heldShutdown = null;
      ctx.fireUserEventTriggered(evt);
    }
  }

  /**
   * How long a connection that has sent nothing yet may keep a drain from closing it: a client
   * that connects sends its request at once, so this only needs to cover scheduling delays.
   */
  static final long FRESH_CONNECTION_GRACE_MILLIS = 1000;

  /**
   * When the drain closes the listener, Vert.x sends every connection a {@link ShutdownEvent}
   * (an internal class of vertx-core 5.0.x, like the one {@link GuardInstaller} uses) and then
   * closes at once any connection with no response in progress. That is right for an idle
   * keep-alive connection, but not for one whose request is still on its way: accepted just
   * before the listener closed with its request not read yet, or with a head read in part. Its
   * client did nothing wrong, so the event waits here until the head has gone to Vert.x, which
   * then closes the connection after the response (which says {@code Connection: close}). Bounds:
   * {@link #FRESH_CONNECTION_GRACE_MILLIS} for a connection that sends nothing, the head timeout
   * for a partial head, and the drain timeout for everything.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ShutdownEvent && headOnItsWay()) {
      heldShutdown = evt;
      if (!anyHead && state == START) {
        ctx.executor().schedule(() -> releaseShutdown(true), FRESH_CONNECTION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** No response is owed and a request head is expected: partly read, or none yet on a new connection. */
  private boolean headOnItsWay() {
    return owed == 0 && state != FAILED && (state != START || !anyHead);
  }

  /** Passes a held shutdown event on once no head is on its way (or a silent new connection's grace is over). */
  private void releaseShutdown(boolean freshGraceOver) {
    if (heldShutdown == null || ctx == null || ctx.isRemoved()) {
      return;
    }
    if (headOnItsWay() && !(freshGraceOver && !anyHead && state == START)) {
      return;
    }
    Object evt = heldShutdown;
    heldShutdown = null;
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == FAILED) {
      buf.release(); // autoRead is off, but a read may have been in flight (or re-enabled)
      return;
    }
    if (upgradePending && httpDecoderGone()) {
      // The upgrade was accepted: Vert.x removed its HTTP decoder when it made the connection a
      // tunnel (after the 101), so from here on the bytes are another protocol.
      ctx.fireChannelRead(buf);
      if (!ctx.isRemoved()) {
        ctx.pipeline().remove(this);
      }
      return;
    }
    int end = buf.writerIndex();
    safeEnd = buf.readerIndex();
    int i = safeEnd;
    while (i < end) {
      if (state == BODY || state == CHUNK_DATA) {
        // Body bytes are not looked at, only counted. remaining < 0 is a chunk size above
        // Long.MAX_VALUE (unsigned): more than any buffer.
        int avail = end - i;
        int n = remaining < 0 || remaining > avail ? avail : (int) remaining;
        i += n;
        remaining -= n;
        if (remaining == 0) {
          if (state == BODY) {
            messageComplete(i);
          } else {
            state = CHUNK_DATA_CR;
          }
        }
        continue;
      }
      if (!step(buf.getByte(i) & 0xff, i)) {
        break;
      }
      i++;
    }
    if (state == FAILED) {
      reject(ctx, buf);
    } else if (passThrough) {
      // The head carried Upgrade and no HTTP decoder follows: what comes after it (in this
      // buffer too) may be any protocol.
      ctx.fireChannelRead(buf);
      if (!ctx.isRemoved()) {
        ctx.pipeline().remove(this);
      }
    } else {
      ctx.fireChannelRead(buf);
      releaseShutdown(false); // a head that was on its way has reached Vert.x now
    }
  }

  // ---------------------------------------------------------------- the state machine

  /** Consumes byte {@code b} at index {@code i}; false to stop scanning (error or upgrade). */
  private boolean step(int b, int i) {
    if (state >= METHOD && state <= SECTION_LF) {
      // A too long target is the more specific answer, so 414 wins over 431 on the same byte.
      if (state == TARGET && b != SP && targetLen >= settings.maxUriBytes()) {
        return fail(414, "request-target longer than " + settings.maxUriBytes() + " bytes");
      }
      if (++headBytes > settings.maxHeaderBytes()) {
        return fail(431, (inTrailers ? "trailer section" : "request head") + " longer than "
            + settings.maxHeaderBytes() + " bytes");
      }
    }
    switch (state) {
      case START -> {
        armHeadTimer(); // first byte of a new head (no-op for the first request: already armed)
        if (b == CR) {
          state = START_LF;
        } else if (TCHAR[b]) {
          beginRequest();
          state = METHOD;
        } else {
          return fail(400, b == LF ? "bare LF line ending" : "invalid request-line");
        }
      }
      case START_LF -> {
        if (b != LF) {
          return fail(400, "bare CR in request head");
        }
        if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
          return fail(400, "too many empty lines before the request-line");
        }
        state = START;
      }
      case METHOD -> {
        if (b == SP) {
          state = TARGET;
        } else if (!TCHAR[b]) {
          return fail(400, "invalid method");
        }
      }
      case TARGET -> {
        if (b > SP && b < 0x7f) {
          targetLen++;
        } else if (b == SP && targetLen > 0) {
          state = VERSION;
        } else {
          // CTL, DEL, raw non-ASCII (must be percent-encoded), a second SP or an empty target.
          return fail(400, b == SP ? "invalid request-line spacing" : "invalid request-target");
        }
      }
      case VERSION -> {
        if (b == CR) {
          return endRequestLine();
        }
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3)
        int at = versionLen++;
        boolean ok = at < 5 ? b == HTTP_SLASH[at]
            : at == 5 || at == 7 ? b >= '0' && b <= '9'
            : at == 6 && b == '.';
        if (!ok) {
          return fail(400, b == LF ? "bare LF line ending" : "invalid HTTP version");
        }
        if (at == 5) {
          versionMajor = b - '0';
        } else if (at == 7) {
          versionMinor = b - '0';
        }
      }
      case LINE_LF, SECTION_LF, CHUNK_LINE_LF -> {
        if (b != LF) {
          return fail(400, "bare CR");
        }
        return endLine(i);
      }
      case FIELD_START -> {
        if (b == CR) {
          state = SECTION_LF;
        } else if (TCHAR[b]) {
          beginField(b);
          state = FIELD_NAME;
        } else if (b == SP || b == HTAB) {
          return fail(400, "obsolete line folding");
        } else {
          return fail(400, b == LF ? "bare LF line ending"
              : b == ':' ? "empty header name" : "invalid header name");
        }
      }
      case FIELD_NAME -> {
        if (b == ':') {
          return endFieldName();
        } else if (TCHAR[b]) {
          matchName(b);
        } else {
          return fail(400, b == SP || b == HTAB ? "whitespace between header name and colon"
              : "invalid header name");
        }
      }
      case FIELD_VALUE -> {
        if (b == CR) {
          state = LINE_LF;
          return endFieldValue();
        }
        if ((b < SP && b != HTAB) || b == 0x7f) {
          return fail(400, b == LF ? "bare LF line ending" : "control character in header value");
        }
        if (field == F_CONTENT_LENGTH) {
          return contentLengthByte(b);
        } else if (field == F_TRANSFER_ENCODING) {
          return transferEncodingByte(b);
        }
        if (field == F_UPGRADE) {
          upgradeByte(b);
        }
      }
      case CHUNK_SIZE -> {
        int nibble = hexValue(b);
        if (nibble >= 0) {
          if (++chunkDigits > MAX_CHUNK_SIZE_DIGITS) {
            return fail(400, "chunk size longer than 16 hex digits");
          }
          remaining = remaining << 4 | nibble;
          chunkLineLen++;
        } else if (chunkDigits > 0 && b == ';') {
          chunkLineLen++;
          state = CHUNK_EXT;
        } else if (chunkDigits > 0 && b == CR) {
          state = CHUNK_LINE_LF;
        } else {
          // No whitespace (BWS) either: nobody needs it and parsers disagree on it.
          return fail(400, b == LF ? "bare LF in chunked body" : "invalid chunk size");
        }
      }
      case CHUNK_EXT -> {
        if (b == CR) {
          state = CHUNK_LINE_LF;
        } else if ((b < SP && b != HTAB) || b == 0x7f) {
          return fail(400, b == LF ? "bare LF in chunked body" : "control character in chunk line");
        } else if (++chunkLineLen > MAX_CHUNK_LINE) {
          return fail(400, "chunk line longer than " + MAX_CHUNK_LINE + " bytes");
        }
      }
      case CHUNK_DATA_CR -> {
        if (b != CR) {
          return fail(400, "chunk data not followed by CRLF");
        }
        state = CHUNK_DATA_LF;
      }
      case CHUNK_DATA_LF -> {
        if (b != LF) {
          return fail(400, "chunk data not followed by CRLF");
        }
        beginChunkLine();
      }
      default -> throw new IllegalStateException("state " + state);
    }
    return true;
  }

  private void beginRequest() {
    leadingEmptyLines = 0;
    headBytes = 1; // this first method byte
    targetLen = 0;
    versionLen = 0;
    http11 = false;
    inTrailers = false;
    hostCount = 0;
    contentLengthSeen = false;
    contentLength = -1;
    transferEncodingSeen = false;
    upgrade = false;
  }

  private boolean endRequestLine() {
    if (versionLen != 8) {
      return fail(400, "invalid HTTP version");
    }
    if (versionMajor != 1 || versionMinor > 1) {
      return fail(505, "only HTTP/1.1 and HTTP/1.0 are supported");
    }
    http11 = versionMinor == 1;
    state = LINE_LF;
    return true;
  }

  /** LF after CR in state LINE_LF, SECTION_LF or CHUNK_LINE_LF; {@code i} is the LF's index. */
  private boolean endLine(int i) {
    if (state == LINE_LF) {
      state = FIELD_START;
      return true;
    }
    if (state == CHUNK_LINE_LF) {
      if (remaining == 0) { // last-chunk: a trailer section follows (RFC 9112 §7.1.2)
        inTrailers = true;
        headBytes = 0;
        state = FIELD_START;
      } else {
        state = CHUNK_DATA;
      }
      return true;
    }
    if (inTrailers) {
      messageComplete(i + 1);
      return true;
    }
    return endHead(i + 1);
  }

  /** The head ends before index {@code next}: decide the framing (RFC 9112 §6.3). */
  private boolean endHead(int next) {
    if (http11 && hostCount == 0) {
      return fail(400, "missing Host header");
    }
    cancelHeadTimer();
    anyHead = true;
    owed++; // before forwarding: the gateway may answer within fireChannelRead
    safeEnd = next;
    if (upgrade && http11) { // Upgrade means nothing in HTTP/1.0 (RFC 9110 §7.8)
      // Passing through right here let any request pipelined behind an Upgrade header (CL+TE,
      // obs-fold, a 1 MiB head) reach Vert.x's lenient decoder and the services unchecked, and a
      // refused upgrade (404, 405, ...) left a keep-alive connection with no guard at all. A
      // WebSocket client sends nothing more before the 101, and every byte Vert.x will still
      // parse as HTTP must be checked, so pass through only once its decoder is gone.
      if (httpDecoderGone()) {
        passThrough = true;
        return false;
      }
      upgradePending = true;
    }
    if (transferEncodingSeen) {
      beginChunkLine();
    } else if (contentLength > 0) {
      remaining = contentLength;
      state = BODY;
    } else {
      messageComplete(next);
    }
    return true;
  }

  /** No HTTP decoder after the guard (an accepted upgrade made the connection a tunnel). */
  private boolean httpDecoderGone() {
    return ctx == null || ctx.pipeline().get("httpDecoder") == null;
  }

  private void messageComplete(int next) {
    safeEnd = next;
    inTrailers = false;
    state = START; // the head timer starts again only with the next request's first byte
  }

  private void beginChunkLine() {
    remaining = 0;
    chunkDigits = 0;
    chunkLineLen = 0;
    state = CHUNK_SIZE;
  }

  private void beginField(int b) {
    nameLen = 0;
    // Trailers never frame the message; the names are only checked for syntax.
    nameCandidates = inTrailers ? 0 : ALL_NAMES;
    matchName(b);
  }

  /** Case-insensitive incremental match against NAMES, without building a string. */
  private void matchName(int b) {
    int candidates = nameCandidates;
    if (candidates != 0) {
      int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
      for (int k = 0; k < NAMES.length; k++) {
        byte[] name = NAMES[k];
        if ((candidates & (1 << k)) != 0 && (nameLen >= name.length || name[nameLen] != lower)) {
          candidates &= ~(1 << k);
        }
      }
      nameCandidates = candidates;
    }
    nameLen++;
  }

  private boolean endFieldName() {
    field = F_NONE;
    for (int k = 0; k < NAMES.length; k++) {
      if ((nameCandidates & (1 << k)) != 0 && NAMES[k].length == nameLen) {
        field = k;
      }
    }
    state = FIELD_VALUE;
    switch (field) {
      case F_CONTENT_LENGTH -> {
        if (transferEncodingSeen) {
          return fail(400, "both Content-Length and Transfer-Encoding");
        }
        contentLengthSeen = true;
        clDigits = 0;
        clValue = 0;
        clAfterDigits = false;
      }
      case F_TRANSFER_ENCODING -> {
        if (transferEncodingSeen) {
          return fail(400, "more than one Transfer-Encoding header");
        }
        if (!http11) {
          return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (contentLengthSeen) {
          return fail(400, "both Content-Length and Transfer-Encoding");
        }
        transferEncodingSeen = true;
        teMatched = 0;
        teAfterToken = false;
      }
      case F_HOST -> {
        if (++hostCount > 1) {
          return fail(400, "more than one Host header");
        }
      }
      case F_UPGRADE -> wsMatched = 0;
      default -> { }
    }
    return true;
  }

  private boolean endFieldValue() {
    if (field == F_CONTENT_LENGTH) {
      return endContentLengthElement();
    }
    if (field == F_TRANSFER_ENCODING && teMatched != CHUNKED.length) {
      return fail(400, "Transfer-Encoding must be exactly \"chunked\"");
    }
    return true;
  }

  /** Content-Length = 1#(1*DIGIT) with OWS around each element (RFC 9110 §8.6). */
  private boolean contentLengthByte(int b) {
    if (b >= '0' && b <= '9') {
      if (clAfterDigits || ++clDigits > MAX_CONTENT_LENGTH_DIGITS) {
        return fail(400, "invalid Content-Length");
      }
      clValue = clValue * 10 + (b - '0');
    } else if (b == SP || b == HTAB) {
      clAfterDigits = clDigits > 0;
    } else if (b == ',') {
      return endContentLengthElement();
    } else {
      return fail(400, "invalid Content-Length");
    }
    return true;
  }

  private boolean endContentLengthElement() {
    if (clDigits == 0) {
      return fail(400, "invalid Content-Length");
    }
    if (contentLength >= 0) {
      // RFC 9112 §6.3 lets a recipient merge identical values, but Netty's decoder rejects any
      // repeat; rejecting here keeps one answer (problem+json) for every framing error.
      return fail(400, contentLength != clValue ? "differing Content-Length values" : "repeated Content-Length");
    }
    contentLength = clValue;
    clDigits = 0;
    clValue = 0;
    clAfterDigits = false;
    return true;
  }

  /**
   * Only a WebSocket upgrade turns the connection into a tunnel; the gateway ignores other
   * upgrades (h2c, TLS) as RFC 9110 §7.8 allows, so such connections stay HTTP/1.1 and guarded.
   */
  private void upgradeByte(int b) {
    int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
    if (upgrade) {
      return;
    }
    if (WEBSOCKET[wsMatched] == lower) {
      if (++wsMatched == WEBSOCKET.length) {
        upgrade = true;
      }
    } else {
      wsMatched = WEBSOCKET[0] == lower ? 1 : 0;
    }
  }

  /**
   * Transfer-Encoding = OWS "chunked" OWS, case-insensitive: the only coding the gateway accepts
   * (RFC 9112 §6.1; anything else would have to be answered with 501 anyway).
   */
  private boolean transferEncodingByte(int b) {
    if (b == SP || b == HTAB) {
      teAfterToken = teMatched > 0;
      return true;
    }
    int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
    if (teAfterToken || teMatched == CHUNKED.length || CHUNKED[teMatched] != lower) {
      return fail(400, "Transfer-Encoding must be exactly \"chunked\"");
    }
    teMatched++;
    return true;
  }

  // ---------------------------------------------------------------- errors

  private boolean fail(int status, String detail) {
    errorInBody = owed > 0 && (state >= BODY || inTrailers);
    state = FAILED;
    errorStatus = status;
    errorDetail = detail;
    return false;
  }

  /** Drops the bad bytes of {@code buf}, forwards the complete requests before them. */
  private void reject(ChannelHandlerContext ctx, ByteBuf buf) {
    cancelHeadTimer();
    ctx.channel().config().setAutoRead(false);
    LOG.debug("{} rejected: {} {}", ctx.channel(), errorStatus, errorDetail);
    if (safeEnd > buf.readerIndex()) {
      // Earlier requests in this buffer are fine and owed an answer; cut the buffer after them
      // (same object, still zero copy). The gateway may answer them within this call.
      buf.writerIndex(safeEnd);
      ctx.fireChannelRead(buf);
    } else {
      buf.release();
    }
    if (errorInBody && bodyErrorListener != null) {
      tellBodyError();
      return;
    }
    writePendingErrorIfDue();
  }

  private void writePendingErrorIfDue() {
    if (errorStatus == 0 || owed > 0 || ctx == null || ctx.isRemoved()) {
      return;
    }
    int status = errorStatus;
    errorStatus = 0;
    String requestId = RequestIds.newId();
    // From this context: below Vert.x's encoder, which must not see a response it did not start.
    ctx.writeAndFlush(Unpooled.wrappedBuffer(errorResponse(status, errorDetail, settings.extraHead(), requestId)))
        .addListener(ChannelFutureListener.CLOSE);
    report(status, requestId);
  }

  /** Tells the observers (access log, tracing, metrics) of the answer just written; they must not break the guard. */
  private void report(int status, String requestId) {
    RequestObserver observer = settings.observer();
    if (observer == null) {
      return;
    }
    String client = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : null;
    try {
      observer.rejected(new Rejection(System.currentTimeMillis(), RequestIds.newId(), requestId, status,
          code(status), client));
    } catch (RuntimeException e) {
      LOG.warn("an observer failed on a rejected request: {}", e.toString());
    }
  }

  static byte[] errorResponse(int status, String detail) {
    return errorResponse(status, detail, "", RequestIds.newId());
  }

  static byte[] errorResponse(int status, String detail, String extraHead, String requestId) {
    byte[] body = new Problem(status, code(status), detail).toJsonBytes(requestId);
    String head = "HTTP/1.1 " + status + " " + Problem.title(status) + "\r\n"
        + "Content-Type: " + Problem.CONTENT_TYPE + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n"
        + extraHead
        + "X-Request-Id: " + requestId + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, out, 0, headBytes.length);
    System.arraycopy(body, 0, out, headBytes.length, body.length);
    return out;
  }

  private static String code(int status) {
    return switch (status) {
      case 408 -> "request_timeout";
      case 414 -> "uri_too_long";
      case 431 -> "header_too_large";
      case 505 -> "http_version_not_supported";
      default -> "bad_request";
    };
  }

  // ---------------------------------------------------------------- head timeout

  private void armHeadTimer() {
    long millis = settings.headerTimeoutMillis();
    if (headTimer == null && millis > 0 && ctx != null) {
      headTimer = ctx.executor().schedule(onHeadTimeout, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelHeadTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void onHeadTimeout() {
    headTimer = null;
    if (state > SECTION_LF || inTrailers || ctx == null || ctx.isRemoved()) {
      return; // head completed meanwhile (or the connection failed already)
    }
    LOG.debug("{} request head not complete within {} ms", ctx.channel(),
        settings.headerTimeoutMillis());
    state = FAILED;
    ctx.channel().config().setAutoRead(false);
    if (owed == 0) {
      errorStatus = 408;
      errorDetail = "request head not received within " + settings.headerTimeoutMillis() + " ms";
      writePendingErrorIfDue();
    } else {
      ctx.close(); // an answer is being written; a 408 now would corrupt it
    }
  }

  private static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
