package dev.citizen.gateway.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http1RequestGuardTest {
  private static final Http1RequestGuard.Settings DEFAULTS =
      new Http1RequestGuard.Settings(8192, 4096, 10_000);

  private static final String GET = "GET /a?b=c HTTP/1.1\r\nHost: example.org\r\n"
      + "User-Agent: t\r\nAccept: */*\r\n\r\n";
  private static final String POST_CL = "POST /upload HTTP/1.1\r\nHost: example.org\r\n"
      + "Content-Type: text/plain\r\nContent-Length: 27\r\n\r\n"
      + "GET /smuggled HTTP/1.1\r\n\r\n\n"; // body bytes are only counted, never parsed
  private static final String POST_CHUNKED = "POST /c HTTP/1.1\r\nhost: example.org\r\n"
      + "transfer-encoding: Chunked\r\n\r\n"
      + "5\r\nhello\r\n"
      + "A;name=\"va l\"\r\n0123456789\r\n"
      + "0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";
  private static final String PIPELINE = GET + POST_CL + POST_CHUNKED + "\r\n" + GET;

  private final List<ByteBuf> fed = new ArrayList<>();
  private EmbeddedChannel ch;
  private Http1RequestGuard guard;

  @AfterEach
  void releaseEverything() {
    if (ch != null) {
      ch.finishAndReleaseAll();
    }
    for (ByteBuf b : fed) {
      assertEquals(0, b.refCnt(), "a buffer given to the guard was neither forwarded nor released");
    }
  }

  // ------------------------------------------------------------------ pass-through

  @Test
  void validSimpleGetPassesThroughByteIdentical() {
    open(DEFAULTS);
    ByteBuf in = feed(GET);
    ByteBuf out = ch.readInbound();
    assertSame(in, out, "the very same buffer is forwarded (zero copy)");
    assertEquals(GET, out.toString(StandardCharsets.ISO_8859_1));
    out.release();
    assertOpenAndSilent();
  }

  @Test
  void pipelinedRequestsWithContentLengthAndChunkedBodiesPassThrough() {
    open(DEFAULTS);
    feed(PIPELINE);
    assertEquals(PIPELINE, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void everyByteAtATimeSplitOfPipelinedSequencePasses() {
    open(DEFAULTS);
    byte[] all = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
    for (byte b : all) {
      feed(new byte[] {b});
    }
    assertEquals(PIPELINE, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void everyTwoWaySplitOfPipelinedSequencePasses() {
    byte[] all = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
    for (int cut = 0; cut <= all.length; cut++) {
      open(DEFAULTS);
      feed(java.util.Arrays.copyOfRange(all, 0, cut));
      feed(java.util.Arrays.copyOfRange(all, cut, all.length));
      assertEquals(PIPELINE, drainInbound(), "split at " + cut);
      assertOpenAndSilent();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void repeatedContentLengthsAreRejectedEvenWhenIdentical() {
    // Netty's decoder rejects any repeat with a bare 400; the guard answers first, in problem+json.
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc", 400);
  }

  @Test
  void leadingEmptyLinesAndHttp10WithoutHostAreAccepted() {
    open(DEFAULTS);
    String req = "\r\n\r\nGET / HTTP/1.0\r\n\r\n";
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void obsTextAndTabsInHeaderValuesAreAccepted() {
    open(DEFAULTS);
    String req = "GET / HTTP/1.1\r\nHost: a\r\nX-Name: \tJ\u00fcrgen\u00ff \t\r\n\r\n";
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void nonBufferMessagesPassThrough() {
    open(DEFAULTS);
    Object event = new Object();
    ch.writeInbound(event);
    assertSame(event, ch.readInbound());
  }

  @Test
  void ofFindsTheGuardInThePipeline() {
    open(DEFAULTS);
    assertSame(guard, Http1RequestGuard.of(ch));
    assertNull(Http1RequestGuard.of(new EmbeddedChannel()));
  }

  // ------------------------------------------------------------------ rejections (400)

  @Test
  void contentLengthAndTransferEncodingTogetherAreRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        + "Content-Length: 5\r\n\r\n0\r\n\r\n", 400);
  }

  @Test
  void differingContentLengthsAreRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
        + "Content-Length: 6\r\n\r\nabcdef", 400);
  }

  @Test
  void differingContentLengthsInOneListAreRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nabcdef", 400);
  }

  @Test
  void malformedContentLengthsAreRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nabcde", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\nabcde", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\nabcde", 400);
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nabcde", 400);
  }

  @Test
  void contentLengthWithNineteenDigitsIsRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000000000\r\n\r\n",
        400);
  }

  @Test
  void transferEncodingXchunkedIsRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: xchunked"), 400);
  }

  @Test
  void transferEncodingChunkedTwiceInOneLineIsRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: chunked, chunked"), 400);
  }

  @Test
  void transferEncodingGzipChunkedIsRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: gzip, chunked"), 400);
  }

  @Test
  void transferEncodingWithVerticalTabIsRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: \u000bchunked"), 400);
  }

  @Test
  void transferEncodingWithParameterOrEmptyIsRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: chunked;x"), 400);
    assertRejected(chunkedWith("Transfer-Encoding:"), 400);
    assertRejected(chunkedWith("Transfer-Encoding: chun ked"), 400);
  }

  @Test
  void twoTransferEncodingLinesAreRejected() {
    assertRejected(chunkedWith("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"), 400);
  }

  @Test
  void transferEncodingInHttp10IsRejected() {
    assertRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
  }

  @Test
  void transferEncodingWithSurroundingWhitespaceAndUpperCaseIsAccepted() {
    open(DEFAULTS);
    String req = chunkedWith("Transfer-Encoding: \t CHUNKED \t");
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void obsFoldIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", 400);
  }

  @Test
  void spaceBeforeColonIsRejected() {
    assertRejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
        400);
  }

  @Test
  void emptyOrInvalidHeaderNameIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400);
  }

  @Test
  void controlCharacterInHeaderValueIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u007fc\r\n\r\n", 400);
  }

  @Test
  void bareLfIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\nHost: a\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\n\n", 400);
    assertRejected("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
  }

  @Test
  void bareCrIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\n\rX", 400);
  }

  @Test
  void missingHostIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
  }

  @Test
  void duplicateHostIsRejected() {
    assertRejected("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400);
  }

  @Test
  void badRequestLinesAreRejected() {
    assertRejected("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    assertRejected("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400);
    assertRejected("GET /\r\n\r\n", 400);
    assertRejected("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    assertRejected(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    assertRejected("GET /\u00e4 HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    assertRejected("GET /\ta HTTP/1.1\r\nHost: a\r\n\r\n", 400);
  }

  @Test
  void badVersionIsRejectedWith400() {
    assertRejected("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400);
    assertRejected("GET / http/1.1\r\nHost: a\r\n\r\n", 400);
    assertRejected("GET / HTTP/11\r\nHost: a\r\n\r\n", 400);
  }

  @Test
  void otherHttpVersionsAreRejectedWith505() {
    assertRejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    assertRejected("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505);
    assertRejected("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505);
  }

  @Test
  void tooManyLeadingEmptyLinesAreRejected() {
    assertRejected("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
  }

  @Test
  void nonHexChunkSizeIsRejected() {
    assertRejectedInBody(chunked("5\r\nhello\r\nz\r\n"), 400);
    assertRejectedInBody(chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400);
    assertRejectedInBody(chunked("5 \r\nhello\r\n0\r\n\r\n"), 400);
    assertRejectedInBody(chunked("\r\n"), 400);
  }

  @Test
  void chunkDataNotFollowedByCrlfIsRejected() {
    assertRejectedInBody(chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400);
    assertRejectedInBody(chunked("5\r\nhello\rX0\r\n\r\n"), 400);
    assertRejectedInBody(chunked("5\r\nhello\n0\r\n\r\n"), 400);
  }

  @Test
  void chunkSizeWithSeventeenHexDigitsIsRejected() {
    assertRejectedInBody(chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), 400);
  }

  @Test
  void chunkSizeWithSixteenHexDigitsIsAccepted() {
    open(DEFAULTS);
    String req = chunked("0000000000000005\r\nhello\r\n0\r\n\r\n");
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void chunkLineBareLfOrControlCharIsRejected() {
    assertRejectedInBody(chunked("5\nhello\r\n0\r\n\r\n"), 400);
    assertRejectedInBody(chunked("5;a\u0001b\r\nhello\r\n0\r\n\r\n"), 400);
  }

  @Test
  void chunkExtensionLongerThan4096IsRejected() {
    String ext = ";" + "e".repeat(4094); // "5" + ";" + 4094 = 4096 bytes: allowed
    open(DEFAULTS);
    String ok = chunked("5" + ext + "\r\nhello\r\n0\r\n\r\n");
    feed(ok);
    assertEquals(ok, drainInbound());
    assertOpenAndSilent();
    ch.finishAndReleaseAll();
    assertRejectedInBody(chunked("5" + ext + "e\r\nhello\r\n0\r\n\r\n"), 400);
  }

  @Test
  void invalidTrailerLinesAreRejected() {
    assertRejectedInBody(chunked("0\r\nX-A: b\r\n c\r\n\r\n"), 400);
    assertRejectedInBody(chunked("0\r\nX-A : b\r\n\r\n"), 400);
    assertRejectedInBody(chunked("0\r\nX-A: b\nc\r\n\r\n"), 400);
  }

  @Test
  void bytesArrivingAfterARejectionAreDroppedAndReleased() {
    open(DEFAULTS);
    feed(GET + "GET / HTTP/1.1\r\nHost: a\r\nX : b\r\n\r\n"); // error deferred: GET is owed
    assertEquals(GET, drainInbound());
    assertFalse(ch.config().isAutoRead(), "reading stops at the violation");
    feed(GET); // a read that was already under way
    assertNull(ch.readInbound());
    guard.responseCompleted();
    assertErrorResponse(readResponse(), 400, "bad_request");
  }

  // ------------------------------------------------------------------ limits (414, 431)

  @Test
  void targetExactlyAtMaxUriBytesPasses() {
    open(new Http1RequestGuard.Settings(8192, 64, 0));
    String req = "GET /" + "a".repeat(63) + " HTTP/1.1\r\nHost: a\r\n\r\n";
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void targetOneByteOverMaxUriBytesIsRejectedWith414BeforeTheLineEnds() {
    open(new Http1RequestGuard.Settings(8192, 64, 0));
    feed("GET /" + "a".repeat(64)); // no SP, no version, no CRLF yet
    assertNull(ch.readInbound());
    assertErrorResponse(readResponse(), 414, "uri_too_long");
    assertFalse(ch.isOpen());
  }

  @Test
  void uriLimitTakesPrecedenceOverHeadLimitInTheRequestLine() {
    // The byte that makes the target too long also makes the head too long: 414, not 431.
    open(new Http1RequestGuard.Settings(10, 6, 0));
    feed("GET /abcdefg");
    assertErrorResponse(readResponse(), 414, "uri_too_long");
  }

  @Test
  void headExactlyAtMaxHeaderBytesPasses() {
    String req = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(40) + "\r\n\r\n";
    open(new Http1RequestGuard.Settings(req.length(), 4096, 0));
    feed(req);
    assertEquals(req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void headOneByteOverMaxHeaderBytesIsRejectedWith431() {
    String req = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(40) + "\r\n\r\n";
    open(new Http1RequestGuard.Settings(req.length() - 1, 4096, 0));
    feed(req);
    assertNull(ch.readInbound());
    assertErrorResponse(readResponse(), 431, "header_too_large");
    assertFalse(ch.isOpen());
  }

  @Test
  void headLimitIsDetectedWithoutWaitingForTheHeadToEnd() {
    open(new Http1RequestGuard.Settings(100, 4096, 0));
    feed("GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(100)); // line not finished
    assertErrorResponse(readResponse(), 431, "header_too_large");
  }

  @Test
  void leadingEmptyLinesDoNotCountAgainstTheHeadLimit() {
    String req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    open(new Http1RequestGuard.Settings(req.length(), 4096, 0));
    feed("\r\n" + req);
    assertEquals("\r\n" + req, drainInbound());
    assertOpenAndSilent();
  }

  @Test
  void trailerSectionOverMaxHeaderBytesIsRejectedWith431() {
    String head = chunked("");
    open(new Http1RequestGuard.Settings(head.length(), 4096, 0));
    feed(head + "0\r\nX-T: " + "t".repeat(head.length()) + "\r\n\r\n");
    assertEquals(head, drainInbound()); // the head is complete and valid, so it went on
    guard.responseCompleted();
    assertErrorResponse(readResponse(), 431, "header_too_large");
  }

  // ------------------------------------------------------------------ deferred error

  @Test
  void errorIsDeferredWhileAResponseIsOwedAndWrittenAfterResponseCompleted() {
    open(DEFAULTS);
    String bad = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
    feed(GET + GET + bad);
    assertEquals(GET + GET, drainInbound(), "the complete requests before the bad one go on");
    assertNull(ch.readOutbound(), "no raw bytes while responses are owed");
    assertTrue(ch.isOpen());
    assertFalse(ch.config().isAutoRead());

    guard.responseCompleted();
    assertNull(ch.readOutbound(), "one response is still owed");
    assertTrue(ch.isOpen());

    guard.responseCompleted();
    assertErrorResponse(readResponse(), 400, "bad_request");
    assertFalse(ch.isOpen());
  }

  @Test
  void errorInAChunkedBodyWaitsForTheResponseToThatRequest() {
    open(DEFAULTS);
    String head = chunked("");
    feed(head + "5\r\nhelloXX");
    assertEquals(head, drainInbound());
    assertNull(ch.readOutbound());
    guard.responseCompleted();
    assertErrorResponse(readResponse(), 400, "bad_request");
  }

  @Test
  void errorIsWrittenAtOnceWhenEarlierResponsesAreComplete() {
    open(DEFAULTS);
    feed(GET);
    drainInbound();
    guard.responseCompleted();
    feed("GET / HTTP/1.1\r\n\r\n");
    assertNull(ch.readInbound());
    assertErrorResponse(readResponse(), 400, "bad_request");
  }

  // ------------------------------------------------------------------ head timeout

  @Test
  void headTimeoutFiresWith408WhenTheFirstHeadIsIncomplete() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    feed("GET / HTTP/1.1\r\nHost: a\r\n");
    ch.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertNull(ch.readOutbound());
    assertTrue(ch.isOpen());
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertErrorResponse(readResponse(), 408, "request_timeout");
    assertFalse(ch.isOpen());
    drainInbound();
  }

  @Test
  void headTimeoutStartsAtConnectionStartForTheFirstRequest() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertErrorResponse(readResponse(), 408, "request_timeout");
  }

  @Test
  void headTimeoutDoesNotFireWhileIdleBetweenRequests() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    feed(GET);
    drainInbound();
    guard.responseCompleted();
    ch.advanceTimeBy(60_000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertOpenAndSilent();
  }

  @Test
  void headTimeoutRestartsOnTheFirstByteOfTheNextHead() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    feed(GET);
    drainInbound();
    guard.responseCompleted();
    ch.advanceTimeBy(5_000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    feed("G");
    ch.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertOpenAndSilent();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertErrorResponse(readResponse(), 408, "request_timeout");
    drainInbound();
  }

  @Test
  void headTimeoutIsCancelledWhenTheHeadCompletesEvenIfTheBodyIsSlow() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    feed(chunked("5\r\nhe"));
    ch.advanceTimeBy(10_000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertOpenAndSilent();
    drainInbound();
  }

  @Test
  void headTimeoutOnlyClosesWhileAResponseIsOwed() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    feed(GET + "GET / HT");
    drainInbound();
    ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertNull(ch.readOutbound(), "a 408 would corrupt the response still being written");
    assertFalse(ch.isOpen());
  }

  @Test
  void zeroHeadTimeoutDisablesTheTimer() {
    open(new Http1RequestGuard.Settings(8192, 4096, 0));
    ch.advanceTimeBy(1, TimeUnit.DAYS);
    ch.runScheduledPendingTasks();
    assertOpenAndSilent();
  }

  // ------------------------------------------------------------------ upgrade

  @Test
  void upgradeRequestSwitchesToPassThrough() {
    open(new Http1RequestGuard.Settings(8192, 4096, 1000));
    String head = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    byte[] binary = {(byte) 0x81, (byte) 0x85, 0x00, '\n', '\r', (byte) 0xff, 0x7f, ' ', ':'};
    ByteBuf first = Unpooled.directBuffer();
    first.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1)).writeBytes(binary);
    fed.add(first);
    ch.writeInbound(first);

    assertNull(Http1RequestGuard.of(ch), "the guard left the pipeline");
    ByteBuf out = ch.readInbound();
    assertSame(first, out, "head and following bytes are delivered once, in order");
    out.release();

    ByteBuf more = feed(new byte[] {0x00, '\n', (byte) 0x80, '\r', 0x01});
    ByteBuf out2 = ch.readInbound();
    assertSame(more, out2);
    out2.release();
    ch.advanceTimeBy(1, TimeUnit.HOURS);
    ch.runScheduledPendingTasks();
    assertOpenAndSilent();
  }

  @Test
  void upgradeSplitByteAtATimeStillPassesEverythingInOrder() {
    open(DEFAULTS);
    String all = "GET /ws HTTP/1.1\r\nHost: a\r\nupgrade: websocket\r\n\r\n\u0000\n\nGARBAGE";
    for (byte b : all.getBytes(StandardCharsets.ISO_8859_1)) {
      feed(new byte[] {b});
    }
    assertEquals(all, drainInbound());
    assertNull(Http1RequestGuard.of(ch));
    assertOpenAndSilent();
  }

  @Test
  void upgradeHeaderInHttp10IsIgnoredAndCheckingContinues() {
    open(DEFAULTS);
    String head = "GET / HTTP/1.0\r\nUpgrade: websocket\r\n\r\n";
    feed(head + "X Y\r\n\r\n");
    assertEquals(head, drainInbound());
    assertSame(guard, Http1RequestGuard.of(ch));
    guard.responseCompleted();
    assertErrorResponse(readResponse(), 400, "bad_request");
  }

  // ------------------------------------------------------------------ helpers

  private void open(Http1RequestGuard.Settings settings) {
    ch = new EmbeddedChannel();
    ch.freezeTime(); // timers move only with advanceTimeBy
    guard = new Http1RequestGuard(settings);
    ch.pipeline().addLast("guard", guard);
  }

  private ByteBuf feed(String s) {
    return feed(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private ByteBuf feed(byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes); // leak-tracked
    fed.add(buf);
    ch.writeInbound(buf);
    return buf;
  }

  /** All forwarded bytes as one string; releases the forwarded buffers. */
  private String drainInbound() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object o; (o = ch.readInbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      all.writeBytes(bytes);
      b.release();
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  private String readResponse() {
    ByteBuf out = ch.readOutbound();
    assertTrue(out != null, "an error response was written");
    String s = out.toString(StandardCharsets.UTF_8);
    out.release();
    assertNull(ch.readOutbound(), "exactly one write");
    return s;
  }

  private void assertOpenAndSilent() {
    assertTrue(ch.isOpen(), "channel open");
    assertNull(ch.readOutbound(), "nothing written");
  }

  /** Feeds {@code request} in one buffer to a fresh channel and checks the rejection. */
  private void assertRejected(String request, int status) {
    if (ch != null) {
      ch.finishAndReleaseAll();
    }
    open(DEFAULTS);
    feed(request);
    assertEquals("", drainInbound(), "nothing of the bad request was forwarded: " + request);
    String code = switch (status) {
      case 505 -> "http_version_not_supported";
      default -> "bad_request";
    };
    assertErrorResponse(readResponse(), status, code);
    assertFalse(ch.isOpen(), "closed after the error");
  }

  /**
   * A violation in the body (or trailers) of {@code request}: its valid head was already
   * forwarded and is owed an answer, so the error waits for {@code responseCompleted()}; none of
   * the bytes after the head are forwarded.
   */
  private void assertRejectedInBody(String request, int status) {
    if (ch != null) {
      ch.finishAndReleaseAll();
    }
    open(DEFAULTS);
    feed(request);
    String head = request.substring(0, request.indexOf("\r\n\r\n") + 4);
    assertEquals(head, drainInbound(), "only the valid head was forwarded: " + request);
    assertNull(ch.readOutbound(), "error deferred while the response is owed");
    assertTrue(ch.isOpen());
    guard.responseCompleted();
    assertErrorResponse(readResponse(), status, "bad_request");
    assertFalse(ch.isOpen(), "closed after the error");
  }

  private static void assertErrorResponse(String response, int status, String code) {
    int split = response.indexOf("\r\n\r\n");
    assertTrue(split > 0, response);
    String head = response.substring(0, split + 2);
    String body = response.substring(split + 4);
    String reason = dev.citizen.gateway.http.Problem.title(status);
    assertTrue(head.startsWith("HTTP/1.1 " + status + " " + reason + "\r\n"), head);
    assertTrue(head.contains("\r\nContent-Type: application/problem+json\r\n"), head);
    assertTrue(head.contains("\r\nConnection: close\r\n"), head);
    assertTrue(head.contains("\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"), head);
    Matcher id = Pattern.compile("\r\nX-Request-Id: ([0-9a-f]{32})\r\n").matcher(head);
    assertTrue(id.find(), head);
    assertTrue(body.contains("\"status\":" + status), body);
    assertTrue(body.contains("\"code\":\"" + code + "\""), body);
    assertTrue(body.contains("\"requestId\":\"" + id.group(1) + "\""), body);
  }

  private static String chunkedWith(String teLine) {
    return "POST / HTTP/1.1\r\nHost: a\r\n" + teLine + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  }

  private static String chunked(String body) {
    return "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
  }

  @Test
  void errorResponseBytesAreComplete() {
    byte[] r = Http1RequestGuard.errorResponse(431, "too big");
    String s = new String(r, StandardCharsets.UTF_8);
    assertErrorResponse(s, 431, "header_too_large");
    assertArrayEquals(r, s.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ drain (Vert.x ShutdownEvent)

  private final List<Object> events = new ArrayList<>();

  /** A guard followed by a handler that records the user events passed on to Vert.x. */
  private void openRecordingEvents() {
    open(DEFAULTS);
    ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
      }
    });
  }

  private static Object shutdown() {
    return new io.vertx.core.net.impl.ShutdownEvent(30, TimeUnit.SECONDS);
  }

  @Test
  void shutdownOnANewConnectionWaitsForItsFirstHead() {
    openRecordingEvents();
    Object evt = shutdown();
    ch.pipeline().fireUserEventTriggered(evt);
    assertTrue(events.isEmpty(), "Vert.x would close a connection whose request is on its way");
    feed("GET /a HTTP/1.1\r\nHo");
    assertTrue(events.isEmpty());
    feed("st: h\r\n\r\n");
    assertEquals(List.of(evt), events, "passed on once the head reached Vert.x");
    drainInbound();
  }

  @Test
  void shutdownOnASilentNewConnectionPassesAfterTheGrace() {
    openRecordingEvents();
    ch.pipeline().fireUserEventTriggered(shutdown());
    ch.advanceTimeBy(Http1RequestGuard.FRESH_CONNECTION_GRACE_MILLIS - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(events.isEmpty());
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(1, events.size());
  }

  @Test
  void shutdownPassesAtOnceOnAnIdleKeepAliveConnectionAndWhileAResponseIsOwed() {
    openRecordingEvents();
    feed(GET);
    ch.pipeline().fireUserEventTriggered(shutdown());
    assertEquals(1, events.size(), "a response is in progress: Vert.x closes after it");
    guard.responseCompleted();
    ch.pipeline().fireUserEventTriggered(shutdown());
    assertEquals(2, events.size(), "idle between requests: closed at once");
    drainInbound();
  }

  @Test
  void shutdownDuringAPartialSecondHeadWaitsForIt() {
    openRecordingEvents();
    feed(GET);
    guard.responseCompleted();
    feed("GET /b HTT");
    ch.pipeline().fireUserEventTriggered(shutdown());
    ch.advanceTimeBy(Http1RequestGuard.FRESH_CONNECTION_GRACE_MILLIS * 5, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(events.isEmpty(), "only the head timeout bounds a partial head");
    feed("P/1.1\r\nHost: h\r\n\r\n");
    assertEquals(1, events.size());
    drainInbound();
  }
}
