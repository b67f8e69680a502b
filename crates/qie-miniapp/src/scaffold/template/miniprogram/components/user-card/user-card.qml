<qs src="../../utils/format.qs" module="format" />
<view class="card">
  <image qq:if="{{avatarUrl}}" class="avatar" src="{{avatarUrl}}" />
  <view class="name">{{nickName || '已登录'}}</view>
  <view class="openid">{{format.short(openid)}}</view>
</view>
