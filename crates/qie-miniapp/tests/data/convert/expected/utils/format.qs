var math = require('./math.qs');

function price(cents) {
  return '¥' + math.round(cents / 100, 2);
}

module.exports = { price: price };
