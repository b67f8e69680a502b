const cloud = require('wx-server-sdk');

cloud.init();

exports.main = async () => {
  const { OPENID } = cloud.getWXContext();
  const token = await fetch('https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential');
  return { openid: OPENID, token };
};
