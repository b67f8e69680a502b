<page-container show="{{showSheet}}">
  <view>Filters</view>
</page-container>
<ad unit-id="adunit-0123456789abcdef"></ad>
<button open-type="getPhoneNumber" bindgetphonenumber="onPhone">Use my phone number</button>
<van-button type="primary" bindtap="pay">Pay</van-button>
