package io.ddp.spring.server;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Hooks through which the DDP server reports what it does, for metrics and observations.
 * The server calls every method on hot paths (socket threads, session queues), so
 * implementations must be cheap, thread-safe and must not throw.
 *
 * <p>
 * Implementations are beans; the server auto-configuration combines them with
 * {@link #composite(List)}. Every method has an empty default.
 *
 * @since 0.1.0
 */
public interface DdpServerObserver {

	/**
	 * An observer that does nothing.
	 */
	DdpServerObserver NONE = new DdpServerObserver() {
	};

	/**
	 * A client sent a message.
	 * @param transport the transport name ({@code websocket} or {@code sockjs})
	 * @param type the value of its {@code msg} member, empty when it has none or the text
	 * is not a JSON message; client input, so not to be used as a tag as is
	 */
	default void messageReceived(String transport, String type) {
	}

	/**
	 * The server sent a message to a client.
	 * @param transport the transport name
	 * @param frame the message text, always starting with {@code {"msg":"<type>"}}
	 */
	default void messageSent(String transport, String frame) {
	}

	/**
	 * The server refused a client's input with an {@code error} message, a refused
	 * handshake, or a closed socket.
	 * @param reason one of the fixed reasons in {@link RejectedInput}
	 */
	default void inputRejected(RejectedInput reason) {
	}

	/**
	 * A session was closed because the client did not answer a ping in time.
	 * @param connection the session
	 */
	default void heartbeatTimedOut(ClientConnection connection) {
	}

	/**
	 * A session was closed because its client does not wait for the server: it read too
	 * slowly (the frames waiting for it passed the send buffer limit, or one write took
	 * longer than the send time limit), or it sent more messages than its queue holds.
	 * @param connection the session
	 * @param limit the limit it passed
	 */
	default void sendLimitExceeded(ClientConnection connection, SendLimit limit) {
	}

	/**
	 * A subscription was stopped with {@code nosub} because its session passed a limit;
	 * the session goes on.
	 * @param connection the session
	 * @param limit the limit it passed
	 */
	default void subscriptionLimitExceeded(ClientConnection connection, SubscriptionLimit limit) {
	}

	/**
	 * A method call starts. Its operation ends when the call's {@code result} can leave:
	 * after the flush of the writes the method made (a failed flush ends it as failed, as
	 * the client then gets error 500).
	 * @param connection the calling session, {@code null} for a call made on the server
	 * @param method the method name as the client sent it
	 * @param registered whether the server has a method of that name
	 * @return the call's operation, told how it ends
	 */
	default Operation methodCall(@Nullable ClientConnection connection, String method, boolean registered) {
		return Operation.NONE;
	}

	/**
	 * A subscription starts.
	 * @param connection the subscribing session
	 * @param publication the publication name as the client sent it
	 * @param registered whether the server has a publication of that name
	 * @return the subscription's operation, told how it ends: success on {@code ready}
	 */
	default Operation subscription(ClientConnection connection, String publication, boolean registered) {
		return Operation.NONE;
	}

	/**
	 * Combine observers; each is called in order.
	 * @param observers the observers
	 * @return one observer calling all, {@link #NONE} for none
	 */
	static DdpServerObserver composite(List<? extends DdpServerObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		return new CompositeDdpServerObserver(observers);
	}

	/**
	 * Fixed reasons for refused input: only these become tag values.
	 */
	enum RejectedInput {

		/** Not JSON, not a JSON object, or no usable {@code msg} ("Bad request"). */
		BAD_REQUEST,

		/** A member that must hold EJSON does not decode ("Parse error"). */
		PARSE_ERROR,

		/** A message before {@code connect} ("Must connect first"). */
		NOT_CONNECTED,

		/** A second {@code connect} ("Already connected"). */
		ALREADY_CONNECTED,

		/**
		 * A {@code connect} whose versions do not match; answered with {@code failed}.
		 */
		VERSION_MISMATCH,

		/** A {@code method} message with missing or mistyped members. */
		MALFORMED_METHOD,

		/** A {@code sub} message with missing or mistyped members. */
		MALFORMED_SUBSCRIPTION,

		/** A socket that sent no {@code connect} in time. */
		CONNECT_TIMEOUT,

		/** A socket opened while the server is shutting down. */
		SHUTTING_DOWN,

		/** A socket opened while the server holds its maximum of sockets. */
		TOO_MANY_SESSIONS,

		/** A {@code sub} past the session's maximum of subscriptions. */
		TOO_MANY_SUBSCRIPTIONS,

		/** A message past the session's maximum of queued messages. */
		QUEUE_FULL;

		/**
		 * Return the tag value: the name in lower case with dashes.
		 * @return the value, e.g. {@code bad-request}
		 */
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * The limits whose passing closes a session, on what a client that does not wait for
	 * the server may cost; only these become tag values.
	 */
	enum SendLimit {

		/** More frames waited for the client than the send buffer limit allows. */
		BUFFER_SIZE,

		/** One write to the client took longer than the send time limit. */
		TIME,

		/** The client sent more messages than its session's queue holds. */
		QUEUE_FULL,

		/**
		 * A SockJS HTTP client (XHR polling or streaming) did not fetch its messages
		 * before more waited for it than SockJS's message cache holds.
		 */
		SOCKJS_MESSAGE_CACHE;

		/**
		 * Return the tag value.
		 * @return {@code send-buffer-size-limit}, {@code send-time-limit},
		 * {@code queue-full} or {@code sockjs-message-cache-full}
		 */
		public String value() {
			return switch (this) {
				case BUFFER_SIZE -> "send-buffer-size-limit";
				case TIME -> "send-time-limit";
				case QUEUE_FULL -> "queue-full";
				case SOCKJS_MESSAGE_CACHE -> "sockjs-message-cache-full";
			};
		}

	}

	/**
	 * The limits whose passing stops a subscription rather than its session; only these
	 * become tag values.
	 */
	enum SubscriptionLimit {

		/** The session's merge box held its maximum of documents. */
		DOCUMENTS;

		/**
		 * Return the tag value.
		 * @return {@code too-many-documents}
		 */
		public String value() {
			return "too-many-documents";
		}

	}

	/**
	 * One method call or subscription. The server reports exactly one outcome; later
	 * reports are ignored by well-behaved implementations.
	 */
	interface Operation {

		/**
		 * An operation that records nothing.
		 */
		Operation NONE = new Operation() {
		};

		/**
		 * Make the operation current on this thread (for tracing) while its handler runs.
		 * @return closes the scope, on the same thread
		 */
		default Scope openScope() {
			return Scope.NOOP;
		}

		/**
		 * The method returned a result, or the subscription became ready.
		 */
		default void succeeded() {
		}

		/**
		 * The method or publication failed.
		 * @param error the exception it threw (unwrapped), or the {@code DdpException}
		 * sent to the client
		 */
		default void failed(Throwable error) {
		}

		/**
		 * The subscription stopped, or its session closed, before it was ready.
		 */
		default void stopped() {
		}

	}

	/**
	 * A scope opened by {@link Operation#openScope()}.
	 */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		/**
		 * A scope that does nothing.
		 */
		Scope NOOP = () -> {
		};

		@Override
		void close();

	}

	/**
	 * Calls several observers in order.
	 */
	final class CompositeDdpServerObserver implements DdpServerObserver {

		private final DdpServerObserver[] observers;

		CompositeDdpServerObserver(List<? extends DdpServerObserver> observers) {
			this.observers = observers.toArray(DdpServerObserver[]::new);
		}

		@Override
		public void messageReceived(String transport, String type) {
			for (DdpServerObserver observer : this.observers) {
				observer.messageReceived(transport, type);
			}
		}

		@Override
		public void messageSent(String transport, String frame) {
			for (DdpServerObserver observer : this.observers) {
				observer.messageSent(transport, frame);
			}
		}

		@Override
		public void inputRejected(RejectedInput reason) {
			for (DdpServerObserver observer : this.observers) {
				observer.inputRejected(reason);
			}
		}

		@Override
		public void heartbeatTimedOut(ClientConnection connection) {
			for (DdpServerObserver observer : this.observers) {
				observer.heartbeatTimedOut(connection);
			}
		}

		@Override
		public void sendLimitExceeded(ClientConnection connection, SendLimit limit) {
			for (DdpServerObserver observer : this.observers) {
				observer.sendLimitExceeded(connection, limit);
			}
		}

		@Override
		public void subscriptionLimitExceeded(ClientConnection connection, SubscriptionLimit limit) {
			for (DdpServerObserver observer : this.observers) {
				observer.subscriptionLimitExceeded(connection, limit);
			}
		}

		@Override
		public Operation methodCall(@Nullable ClientConnection connection, String method, boolean registered) {
			List<Operation> operations = new ArrayList<>(this.observers.length);
			for (DdpServerObserver observer : this.observers) {
				add(operations, observer.methodCall(connection, method, registered));
			}
			return CompositeOperation.of(operations);
		}

		@Override
		public Operation subscription(ClientConnection connection, String publication, boolean registered) {
			List<Operation> operations = new ArrayList<>(this.observers.length);
			for (DdpServerObserver observer : this.observers) {
				add(operations, observer.subscription(connection, publication, registered));
			}
			return CompositeOperation.of(operations);
		}

		private static void add(List<Operation> operations, @Nullable Operation operation) {
			if (operation != null && operation != Operation.NONE) {
				operations.add(operation);
			}
		}

	}

	/**
	 * Reports to several operations; scopes open in order and close in reverse.
	 */
	final class CompositeOperation implements Operation {

		private final Operation[] operations;

		private CompositeOperation(List<Operation> operations) {
			this.operations = operations.toArray(Operation[]::new);
		}

		static Operation of(List<Operation> operations) {
			if (operations.isEmpty()) {
				return Operation.NONE;
			}
			return (operations.size() == 1) ? operations.get(0) : new CompositeOperation(operations);
		}

		@Override
		public Scope openScope() {
			Scope[] scopes = new Scope[this.operations.length];
			for (int i = 0; i < scopes.length; i++) {
				scopes[i] = this.operations[i].openScope();
			}
			return () -> {
				for (int i = scopes.length - 1; i >= 0; i--) {
					scopes[i].close();
				}
			};
		}

		@Override
		public void succeeded() {
			for (Operation operation : this.operations) {
				operation.succeeded();
			}
		}

		@Override
		public void failed(Throwable error) {
			for (Operation operation : this.operations) {
				operation.failed(error);
			}
		}

		@Override
		public void stopped() {
			for (Operation operation : this.operations) {
				operation.stopped();
			}
		}

	}

}
