package io.ddp.spring.accounts;

import io.ddp.spring.protocol.DdpException;

/**
 * Meteor's accounts errors, word for word (ddp-protocol.md section 8.3).
 */
final class AccountErrors {

	static final String AMBIGUOUS = "Something went wrong. Please check your credentials.";

	private AccountErrors() {
	}

	static DdpException matchFailed() {
		return new DdpException(400, "Match failed");
	}

	static DdpException unrecognizedOptions() {
		return new DdpException(400, "Unrecognized options for login request");
	}

	static DdpException loggedOutByServer() {
		return new DdpException(403, "You've been logged out by the server. Please log in again.");
	}

	static DdpException sessionExpired() {
		return new DdpException(403, "Your session has expired. Please log in again.");
	}

	static DdpException loginForbidden() {
		return new DdpException(403, "Login forbidden");
	}

	static DdpException signupsForbidden() {
		return new DdpException(403, "Signups forbidden");
	}

	static DdpException notLoggedIn() {
		return new DdpException("You are not logged in.");
	}

	static DdpException credentials(String reason, boolean ambiguous) {
		return new DdpException(403, ambiguous ? AMBIGUOUS : reason);
	}

}
