// Our own fixture for the genuine Meteor reference server (../shared/meteor-reference,
// loaded by its boot.js like app.js): the rate-limit part of the conformance fixture,
// with Meteor's own DDPRateLimiter rules. The sample app's 'conformance' profile serves
// the same names with the same rules.
//
// The reference has no accounts package (it needs MongoDB), so `login` here is the
// hand-written fixture login of app.js (same contract), plus `logout` and `whoami`, under
// the rule accounts-base adds by default: 5 `login` calls per 10 s per connection.
/* global Package, Npm */
var Meteor = Package.meteor.Meteor;
var DDPRateLimiter = Package['ddp-rate-limiter'].DDPRateLimiter;

var SECRET_DIGEST = Npm.require('crypto').createHash('sha256').update('secret', 'utf8').digest('hex');

Meteor.methods({
  // returns "ok"; limited to 3 calls per 5 s per connection
  limited: function () {
    return 'ok';
  },
  // app.js's fixture login: {resume:'valid-token'} -> token-user; alice + digest of 'secret'
  // -> alice-id with token 'alice-token'; anything else -> 403 'Login forbidden'
  login: function (arg) {
    var expires = new Date(Date.now() + 24 * 3600 * 1000);
    if (arg && arg.resume === 'valid-token') {
      this.setUserId('token-user');
      return { id: 'token-user', token: 'valid-token', tokenExpires: expires };
    }
    if (arg && arg.user && arg.user.username === 'alice' && arg.password &&
        arg.password.algorithm === 'sha-256' && arg.password.digest === SECRET_DIGEST) {
      this.setUserId('alice-id');
      return { id: 'alice-id', token: 'alice-token', tokenExpires: expires };
    }
    throw new Meteor.Error(403, 'Login forbidden');
  },
  // like accounts-base's logout: the connection has no user any more, returns nothing
  logout: function () {
    this.setUserId(null);
  },
  whoami: function () {
    return this.userId;
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
// accounts-base's default rule (addDefaultRateLimit), for the one account method served here
DDPRateLimiter.addRule({ type: 'method', name: 'login', userId: null, clientAddress: null, connectionId: anyConnection }, 5, 10000);
