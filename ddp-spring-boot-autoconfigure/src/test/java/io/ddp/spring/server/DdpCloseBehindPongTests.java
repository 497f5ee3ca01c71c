package io.ddp.spring.server;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A close Tomcat starts for bad input while the thread that wrote the frame the client
 * answers is still inside its socket write (issue 11, output path): after a method's
 * {@code result} the client pings, and the instant it has the {@code pong} it sends a
 * text frame that is not UTF-8. The pong can be written by a thread other than the one
 * that read the ping (the one completing the previous write), so Tomcat may read the bad
 * frame before that thread's write call has returned. Tomcat must close with 1007 and its
 * reason every time; before the queue held the socket's lock while writing, Tomcat
 * counted the pong's write as in flight, failed it, and its close frame left without its
 * header (in the first few dozen sessions).
 *
 * <p>
 * Write completions are handed to Tomcat's pool here, as with
 * {@code inline-write-completions} off, which widens the window; with them on the same
 * failure came after about a thousand sessions.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpHostileInputTests.Echo.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.websocket.inline-write-completions=false")
class DdpCloseBehindPongTests {

	@LocalServerPort
	int port;

	@Test
	void closeFrameFollowsAPongTheClientAnswersAtOnce() throws Exception {
		DdpCloseBehindBatchedWriteTests.closeAfter(this.port, true);
	}

}
