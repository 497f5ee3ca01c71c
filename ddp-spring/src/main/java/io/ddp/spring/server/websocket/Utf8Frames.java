package io.ddp.spring.server.websocket;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The UTF-8 bytes of outgoing frames, remembering the last frame encoded: a fan-out hands
 * the same frame string to every subscriber, one after the other on each fan-out thread,
 * so it is encoded once instead of once per session. A frame seen once costs one
 * encoding, as it would in the container. Large frames are not remembered, so that none
 * is held after it was sent.
 */
final class Utf8Frames {

	private static final int MAX_REMEMBERED_CHARS = 64 * 1024;

	// Shared by every thread: a miss only costs an encoding, and the record is immutable.
	private static volatile @Nullable Encoded last;

	private Utf8Frames() {
	}

	/**
	 * Return a frame's UTF-8 bytes, shared with every caller asking for the same frame
	 * instance: not to be changed.
	 * @param frame the frame
	 * @return its bytes
	 */
	static byte[] of(String frame) {
		Encoded encoded = last;
		if (encoded != null && encoded.frame == frame) {
			return encoded.bytes;
		}
		byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
		if (frame.length() <= MAX_REMEMBERED_CHARS) {
			last = new Encoded(frame, bytes);
		}
		return bytes;
	}

	private record Encoded(String frame, byte[] bytes) {
	}

}
