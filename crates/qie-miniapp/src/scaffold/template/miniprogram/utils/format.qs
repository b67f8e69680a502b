// QS module: helpers usable inside QML bindings.

function short(openid) {
  if (!openid) {
    return '';
  }
  return openid.length > 12 ? openid.slice(0, 6) + '…' + openid.slice(-4) : openid;
}

module.exports = {
  short: short,
};
