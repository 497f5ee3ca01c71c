// Fan-out app for the genuine Meteor 1.9.3 reference server (benchmarks Runner section `fanout`):
//   ../shared/meteor-reference/start.sh PORT /abs/path/benchmarks/meteor/fanout-app.js
// The same contract as our benchmark server's FanoutBoard: collection `board` (docs d0..d4 with
// {label, v}), publication `board.all` that every subscriber shares, fed from one place (a Set of
// live subscription handles, since there is no MongoDB here), and method `board.bump(id, v)`, which
// sets field v of one document and calls `changed` on every live subscription.
// Also `echo` (the runner's probe uses the DDP endpoint like any other target).
/* global Package */
var Meteor = Package.meteor.Meteor;

var docs = {};
for (var i = 0; i < 5; i++) {
  docs['d' + i] = { label: 'card ' + i, v: 0 };
}
var subs = new Set();

Meteor.publish('board.all', function () {
  var self = this;
  Object.keys(docs).forEach(function (id) {
    self.added('board', id, { label: docs[id].label, v: docs[id].v });
  });
  self.ready();
  subs.add(self);
  self.onStop(function () {
    subs.delete(self);
  });
});

Meteor.methods({
  echo: function () {
    return Array.prototype.slice.call(arguments);
  },
  'board.bump': function (id, v) {
    var doc = docs[id];
    if (!doc) {
      return false;
    }
    doc.v = v;
    subs.forEach(function (sub) {
      sub.changed('board', id, { v: v });
    });
    return true;
  }
});
