<view class="page">
  <view qq:if="{{status === 'loading'}}" class="hint">正在登录…</view>
  <view qq:elif="{{status === 'ready'}}">
    <user-card openid="{{openid}}" />
    <input class="input" placeholder="输入一段文字，做内容安全检测" bindinput="onInput" />
    <button type="primary" bindtap="check">检测</button>
    <view qq:if="{{verdict}}" class="hint">{{verdict}}</view>
    <button bindtap="openProfile">查看资料</button>
  </view>
  <view qq:else class="error">
    <text>登录失败：{{error}}</text>
    <button bindtap="login">重试</button>
  </view>
</view>
