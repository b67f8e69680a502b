<qs src="../../utils/format.qs" module="format" />
<view class="page">
  <user-card openid="{{openid}}" nick-name="{{nickName}}" avatar-url="{{avatarUrl}}" />
  <view class="hint">openid：{{format.short(openid)}}</view>
  <button open-type="getUserInfo" bindgetuserinfo="onUserInfo">获取我的资料</button>
  <view qq:if="{{error}}" class="error">{{error}}</view>
</view>
