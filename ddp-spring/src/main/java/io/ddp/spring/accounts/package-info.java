/**
 * Meteor's accounts over DDP: the {@code login}, {@code logout}, {@code getNewToken},
 * {@code removeOtherTokens} and {@code createUser} methods, users and resume tokens
 * behind replaceable stores, login hooks and events.
 */
@NullMarked
package io.ddp.spring.accounts;

import org.jspecify.annotations.NullMarked;
