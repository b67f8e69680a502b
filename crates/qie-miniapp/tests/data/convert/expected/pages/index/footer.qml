<view class="footer">Shop demo</view>
