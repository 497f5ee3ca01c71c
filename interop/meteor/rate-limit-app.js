// Our own fixture for the genuine Meteor reference server (../shared/meteor-reference,
// loaded by its boot.js like app.js): the rate-limit part of the conformance fixture,
// with Meteor's own DDPRateLimiter rules. The sample app's 'conformance' profile serves
// the same names with the same rules.
/* global Package */
var Meteor = Package.meteor.Meteor;
var DDPRateLimiter = Package['ddp-rate-limiter'].DDPRateLimiter;

Meteor.methods({
  // returns "ok"; limited to 3 calls per 5 s per connection
  limited: function () {
    return 'ok';
  },
});

// just gets ready; limited to 2 subscriptions per 5 s per connection
Meteor.publish('limitedPub', function () {
  this.ready();
});

function anyConnection() {
  return true;
}

DDPRateLimiter.addRule({ type: 'method', name: 'limited', connectionId: anyConnection }, 3, 5000);
DDPRateLimiter.addRule({ type: 'subscription', name: 'limitedPub', connectionId: anyConnection }, 2, 5000);
