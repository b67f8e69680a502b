Component({
  properties: {
    openid: { type: String, value: '' },
    nickName: { type: String, value: '' },
    avatarUrl: { type: String, value: '' },
  },
});
